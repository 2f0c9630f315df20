"""Setup-time model preparation (not used at run time).

Converts the platedet YOLOv8-seg detector from fp16 to fp32 (ONNX Runtime's CPU kernels are faster in fp32)
and cuts it to its three raw detection-head outputs (64 box-distribution channels + 1 score channel per
stride 8/16/32), dropping the segmentation branch and the fixed 640x640 anchor decoding. The input height and
width become dynamic, so the engine can run the detector at any multiple of 32; box decoding is done by
MicroANPR itself (decoder "yolov8-dfl" in the model manifest).
"""
import sys
import numpy as np
import onnx
from onnx import TensorProto, numpy_helper, utils

src, dst = sys.argv[1], sys.argv[2]
m = onnx.load(src)
g = m.graph
for i, init in enumerate(g.initializer):
    if init.data_type == TensorProto.FLOAT16:
        g.initializer[i].CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float32), init.name))
for n in g.node:
    for a in n.attribute:
        if n.op_type == "Cast" and a.name == "to" and a.i == TensorProto.FLOAT16:
            a.i = TensorProto.FLOAT
        if n.op_type in ("Constant", "ConstantOfShape") and a.t and a.t.data_type == TensorProto.FLOAT16:
            a.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(a.t).astype(np.float32), a.t.name))
for vi in list(g.input) + list(g.output) + list(g.value_info):
    if vi.type.tensor_type.elem_type == TensorProto.FLOAT16:
        vi.type.tensor_type.elem_type = TensorProto.FLOAT

heads = [n.output[0] for n in g.node if n.op_type == "Concat" and n.name.startswith("/model.22/Concat_") and
         n.name.rsplit("_", 1)[-1] in ("1", "2", "3")]
if len(heads) != 3:
    sys.exit(f"prepare_detector: expected 3 detection-head outputs, found {heads}")
sub = utils.Extractor(m).extract_model([g.input[0].name], heads)
del sub.graph.value_info[:]
dims = sub.graph.input[0].type.tensor_type.shape.dim
for k, name in ((2, "height"), (3, "width")):
    dims[k].ClearField("dim_value"); dims[k].dim_param = name
for i, o in enumerate(sub.graph.output):
    od = o.type.tensor_type.shape.dim
    for k, name in ((2, f"h{i}"), (3, f"w{i}")):
        od[k].ClearField("dim_value"); od[k].dim_param = name
onnx.checker.check_model(sub)
onnx.save(sub, dst)
