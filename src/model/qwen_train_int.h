/* Shared between the files of the Qwen2 training model (qwen_train*.c); not a public API. */
#ifndef DP_MODEL_QWEN_TRAIN_INT_H
#define DP_MODEL_QWEN_TRAIN_INT_H
#include "model/qwen_train.h"

/* Frees the activation buffers (qwen_train_graph.c). */
void dp_qt_acts_free(struct dp_qt *m);
/* Refreshes the packed copies of everything trainable when the masters changed. */
void dp_qt_repack(struct dp_qt *m);

#endif
