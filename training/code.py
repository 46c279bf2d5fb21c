"""Registers kg's spaCy functions for ``spacy train --code training/code.py``.

It also makes training run its matrix products on numpy's BLAS (one thread) rather than thinc's
blis, as kg does at run time (:mod:`kg.extract.pipeline`): the same model, trained faster.
"""

import spacy.training.initialize as spacy_initialize
import spacy.training.pretrain as spacy_pretrain
from thinc.api import set_current_ops
from threadpoolctl import threadpool_limits

import kg.extract.tokenizer  # noqa: F401  (kg.customize_tokenizer.v1)
from kg.extract.pipeline import recognizer_ops

set_current_ops(recognizer_ops())
threadpool_limits(limits=1, user_api="blas")


# spacy pretrain / spacy train's init_tok2vec read and write the layer that [pretraining]
# names; the ner's "tok2vec" reference is chain(Tok2Vec, list2array, Linear), whose output is
# one array for the batch, not the per-document arrays pretraining predicts from. Point both at
# the embedding network itself, its first layer.
_tok2vec_ref = spacy_pretrain.get_tok2vec_ref


def _embedding_network(nlp, pretrain_config):
    layer = _tok2vec_ref(nlp, pretrain_config)
    if [sub.name for sub in layer.layers[1:]] == ["list2array", "linear"]:
        return layer.layers[0]
    return layer


spacy_pretrain.get_tok2vec_ref = _embedding_network
spacy_initialize.get_tok2vec_ref = _embedding_network
