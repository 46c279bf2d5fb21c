"""Word lists the extraction rules share: vague heads, modifiers to trim, cue words.

Kept in one place so that a reader can see (and a maintainer can tune) every closed word
class the rules depend on. All entries are lower-case.
"""

from __future__ import annotations

__all__ = [
    "VAGUE",
    "TRIM_LEADING",
    "NOT_NAMES",
    "METHOD_HEADS",
    "DATASET_HEADS",
    "BENCHMARK_HEADS",
    "TASK_HEADS",
    "VERSION_WORDS",
    "NAME_BLOCKERS",
]

#: words that never make an entity on their own ("our model", "the approach"), with plurals
VAGUE = frozenset("""
method methods approach approaches model models framework frameworks pipeline pipelines system systems
technique techniques algorithm algorithms architecture architectures network networks module modules
mechanism mechanisms component components strategy strategies scheme schemes baseline baselines
solution solutions tool tools paradigm paradigms procedure procedures process processes design designs
variant variants version versions backbone backbones encoder encoders decoder decoders classifier classifiers
layer layers block blocks head heads unit units structure structures formulation formulations objective objectives
loss losses function functions training inference learning optimization evaluation analysis experiments
experiment task tasks data dataset datasets corpus corpora benchmark benchmarks benchmarking suite suites
resource resources collection collections set sets test tests testbed metric metrics score scores
work works study studies paper papers recipe recipes idea ideas technology technologies agent agents
representation representations embedding embeddings feature features parameter parameters weights
generator discriminator predictor predictors estimator estimators policy policies planner
prompt prompts instruction instructions output outputs input inputs sample samples token tokens
it they this that these those we ours one ones
""".split())

#: words stripped from the left edge of a candidate span ("the", "our proposed", "novel")
TRIM_LEADING = frozenset("""
a an the this that these those our their its his her my your such other another each every both all any
some several many most more few various different existing previous prior current recent modern standard
conventional traditional typical popular common classic classical original vanilla naive simple simpler
novel new proposed improved enhanced efficient effective robust powerful strong stronger superior
state-of-the-art sota advanced sophisticated general generic specific well-known widely-used widely used
same similar corresponding respective entire whole full overall single multiple two three four five
first second third last final additional extra further related underlying resulting given certain
unified comprehensive extensive careful carefully lightweight light-weight principled
""".split()) | {"state of the art", "widely used"}

#: capitalised tokens that look like names but are not methods, datasets or benchmarks
NOT_NAMES = frozenset("""
ai ml nlp nlu nlg cv ir qa api apis gpu gpus cpu cpus tpu tpus sota us uk eu usa url urls html pdf io iot phd
flop flops gflops tflops rgb id ids ok vs etc ie eg al fig figs tab eq eqs sec appendix
auc roc bleu rouge meteor cider spice f1 map iou psnr ssim fid wer cer mrr ndcg mse rmse mae acc em
ner pos mt asr tts ocr nli srl kgc sts vqa cil mrc rc wsd el re ie dst
llm llms lm lms plm plms mllm mllms vlm vlms slm slms
ii iii iv vi vii viii ix xi
i a an in on at by to of or and the for with from as is it we our
covid covid-19 sars-cov-2 ieee acm acl emnlp naacl eacl coling neurips nips icml iclr cvpr iccv eccv aaai ijcai kdd www sigir
github huggingface arxiv hf
""".split())

#: a candidate ending in one of these heads is a method ("contrastive learning", "LoRA adapter")
METHOD_HEADS = frozenset("""
learning training pretraining pre-training finetuning fine-tuning tuning distillation adaptation
regularization normalization optimization quantization pruning sparsification augmentation prompting
decoding sampling search attention transformer transformers network networks model models encoder
decoder autoencoder gan gans rnn rnns lstm lstms cnn cnns mlp embedding embeddings algorithm method
architecture framework mechanism technique loss parallelism estimation regression clustering
factorization decomposition inference propagation descent dropout retrieval-augmented generation
""".split())

#: heads that make a named thing a dataset ("X dataset", "X corpus")
DATASET_HEADS = frozenset("dataset datasets corpus corpora collection data treebank database".split())

#: heads that make a named thing a benchmark ("X benchmark", "X test set")
BENCHMARK_HEADS = frozenset("benchmark benchmarks leaderboard suite testbed challenge".split())

#: heads of task names, never methods on their own ("machine translation", "image captioning")
TASK_HEADS = frozenset("""
translation captioning classification detection segmentation recognition answering understanding
summarization parsing tagging reasoning retrieval generation prediction completion extraction
tracking localization matching labeling labelling ranking recommendation forecasting
""".split())

#: words that may follow a name as part of it ("Gemini 2.0 Flash", "Qwen2.5-72B-Instruct")
VERSION_WORDS = frozenset("""
base large small medium tiny mini nano micro xl xxl pro plus max ultra flash turbo lite instruct chat
opus sonnet haiku vision coder math code it hd
""".split())

#: capitalised words that look like part of a name but never are ("Table 1", "Step 2")
NAME_BLOCKERS = frozenset("""
table tables figure figures fig section sections step steps stage stages phase phases level levels
part parts chapter eq equation appendix task tasks track tracks round rounds day days year years
type types case cases group groups class classes layer layers top version scenario scenarios
experiment experiments setting settings problem problems question questions lemma theorem
""".split())
