/* Shared between the files of the Qwen2 training model (qwen_train*.c); not a public API. */
#ifndef DP_MODEL_QWEN_TRAIN_INT_H
#define DP_MODEL_QWEN_TRAIN_INT_H
#include "model/qwen_train.h"

/* Frees the activation buffers (qwen_train_graph.c). */
void dp_qt_acts_free(struct dp_qt *m);
/* Refreshes the packed LM head and adapters when the masters changed. */
void dp_qt_repack(struct dp_qt *m);
/* Full fine-tuning: packs layer l's matrices (bwd: their transposes) into the shared packs,
 * unless they hold them already. No-op for LoRA (the frozen base is packed once). */
void dp_qt_pack_layer(struct dp_qt *m, int l, bool bwd);

#endif
