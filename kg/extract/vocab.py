"""Word lists the extraction rules share: vague heads, modifiers to trim, cue words.

Kept in one place so that a reader can see (and a maintainer can tune) every closed word
class the rules depend on. All entries are lower-case.
"""

from __future__ import annotations

__all__ = [
    "VAGUE",
    "NAME_SUFFIXES",
    "GENERIC_MODIFIERS",
    "TRAILING_VAGUE",
    "NON_METHOD_HEADS",
    "TRIM_LEADING",
    "NOT_NAMES",
    "METHOD_HEADS",
    "DATASET_HEADS",
    "BENCHMARK_HEADS",
    "TASK_HEADS",
    "VERSION_WORDS",
    "NAME_BLOCKERS",
    "NAME_HEADS",
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
pre-training pretraining post-training posttraining fine-tuning finetuning zero-shot few-shot one-shot prompting
""".split())

#: modifiers that do not make a vague head specific ("pretrained models", "student model")
GENERIC_MODIFIERS = frozenset("""
pretrained pre-trained finetuned fine-tuned trained untrained student teacher chat base baseline target source
downstream upstream open open-source closed closed-source proprietary frontier weak larger smaller bigger
large-scale small-scale resulting initial specialized general-purpose domain-specific task-specific learned
learnable parametric reference candidate competing alternative individual separate auxiliary external internal
default key core main joint dense sparse scalable deep shallow fully frozen adapted modified customized
parameter billion million multimodal multi-modal generalist specialist expert
""".split())

#: vague heads dropped from the right edge when something specific is left
#: ("curriculum learning strategy" -> "curriculum learning")
TRAILING_VAGUE = frozenset("""
method methods approach approaches strategy strategies framework frameworks technique techniques scheme schemes
routine routines procedure procedures process processes paradigm paradigms pipeline pipelines recipe recipes
module modules mechanism mechanisms
""".split())

#: heads that make a phrase something other than a method ("reasoning capabilities")
NON_METHOD_HEADS = frozenset("""
task tasks capability capabilities representation representations map maps layer layers component components
head heads problem problems nature relationship relationships analytics field fields sub-field sub-fields
counterpart counterparts ratio ratios property properties performance ability abilities quality data
result results behavior behaviour behaviors setting settings scenario scenarios domain domains language languages
text texts information knowledge factuality hallucination hallucinations accuracy efficiency cost costs
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
multistage multi-stage two-stage three-stage four-stage large-scale task-agnostic
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
openai nvidia google meta microsoft deepmind anthropic alibaba baidu tencent huawei amazon apple ibm intel amd
facebook bytedance xai mistralai cohere salesforce adobe samsung sony stanford mit cmu berkeley
a100 h100 v100 a6000 rtx l1 l2 l0 k80 t4
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

#: hyphenated suffixes that turn a name into a modifier ("LoRA-based", "BERT-style")
NAME_SUFFIXES = (
    "-based", "-style", "-like", "-sized", "-size", "-specific", "-aware", "-driven", "-guided", "-powered",
    "-only", "-free", "-level", "-scale", "-centric", "-inspired", "-enhanced", "-augmented", "-generated",
    "-derived", "-initialized", "-compatible", "-type", "-family", "-series",
)

#: heads a recognizer span may carry after a well-known name ("Transformer architecture")
NAME_HEADS = frozenset("""
model models network networks architecture architectures baseline baselines variant variants backbone backbones
family series framework frameworks method methods approach approaches algorithm algorithms technique techniques
strategy strategies module modules mechanism mechanisms layer layers encoder encoders decoder decoders
training pretraining pre-training fine-tuning finetuning tuning inference
""".split())
