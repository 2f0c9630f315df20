// ONNX Runtime, loaded with dlopen: runtime, sessions, runs and their outputs.
#include "internal.hpp"

using namespace cvn_detail;

struct cvn_runtime {
  void *library = nullptr;
  const OrtApi *api = nullptr;
  OrtEnv *env = nullptr;
  std::string version;
};

struct cvn_session {
  cvn_runtime *runtime;
  OrtSession *session = nullptr;
  std::vector<std::string> input_names, output_names;
};

struct cvn_outputs {
  const OrtApi *api;
  std::vector<OrtValue *> values;
  std::vector<std::vector<int64_t>> shapes;
  std::vector<const float *> data;
  ~cvn_outputs() {
    for (auto *v : values)
      if (v) api->ReleaseValue(v);
  }
};

namespace {
/// Turns an OrtStatus into a cvn_status (releasing it); CVN_OK for NULL.
cvn_status ort_check(const OrtApi *api, OrtStatus *status, cvn_status code, const char *what) {
  if (!status) return CVN_OK;
  std::string msg = std::string(what) + ": " + api->GetErrorMessage(status);
  api->ReleaseStatus(status);
  return fail(code, msg);
}
} // namespace

#define ORT_TRY(expr, code, what)                                                                                  \
  do {                                                                                                             \
    cvn_status _s = ort_check(api, (expr), code, what);                                                            \
    if (_s != CVN_OK) return _s;                                                                                   \
  } while (0)

extern "C" cvn_status cvn_runtime_create(const char *library_path, cvn_runtime **out) {
  if (!library_path || !out) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *out = nullptr;
  return guarded([&] {
    // ONNX Runtime 1.31's official builds send usage telemetry to Microsoft on Linux too (1DS: a device id and
    // an event cache under ~/.cache/Microsoft, an uploader thread). MicroANPR makes no outbound request the
    // operator did not allow, so it is switched off, as the runtime documents, before the library initialises
    // (the decision is latched per process; set before any other thread could read the environment).
    setenv("ORT_DISABLE_TELEMETRY", "1", 1);
    void *lib = dlopen(library_path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) return fail(CVN_ERR_RUNTIME_LOAD, std::string("cannot load ONNX Runtime: ") + dlerror());
    using GetApiBase = const OrtApiBase *(*)();
    auto get = reinterpret_cast<GetApiBase>(dlsym(lib, "OrtGetApiBase"));
    if (!get) {
      dlclose(lib);
      return fail(CVN_ERR_RUNTIME_LOAD, "library has no OrtGetApiBase");
    }
    const OrtApiBase *base = get();
    const OrtApi *api = base ? base->GetApi(ORT_API_VERSION) : nullptr;
    if (!api) {
      dlclose(lib);
      return fail(CVN_ERR_RUNTIME_LOAD, "ONNX Runtime is older than API version " + std::to_string(ORT_API_VERSION));
    }
    auto *rt = new cvn_runtime{lib, api, nullptr, base->GetVersionString()};
    cvn_status s = ort_check(api, api->CreateEnv(ORT_LOGGING_LEVEL_ERROR, "microanpr", &rt->env), CVN_ERR_RUNTIME_LOAD,
                             "CreateEnv");
    if (s != CVN_OK) {
      dlclose(lib);
      delete rt;
      return s;
    }
    // Belt and braces for builds that read only the API switch.
    api->DisableTelemetryEvents(rt->env);
    *out = rt;
    return CVN_OK;
  });
}

extern "C" void cvn_runtime_free(cvn_runtime *runtime) {
  if (!runtime) return;
  if (runtime->env) runtime->api->ReleaseEnv(runtime->env);
  // The library stays loaded: ONNX Runtime does not support being unloaded and reloaded in one process.
  delete runtime;
}

extern "C" const char *cvn_runtime_version(const cvn_runtime *runtime) {
  return runtime ? runtime->version.c_str() : "";
}

extern "C" cvn_status cvn_session_create(cvn_runtime *runtime, const char *model_path, int intra_threads,
                                         cvn_session **out) {
  if (!runtime || !model_path || !out || intra_threads < 1) return fail(CVN_ERR_INVALID_ARGUMENT, "bad argument");
  *out = nullptr;
  const OrtApi *api = runtime->api;
  return guarded([&]() -> cvn_status {
    OrtSessionOptions *options = nullptr;
    ORT_TRY(api->CreateSessionOptions(&options), CVN_ERR_MODEL_LOAD, "CreateSessionOptions");
    struct OptionsGuard {
      const OrtApi *api;
      OrtSessionOptions *o;
      ~OptionsGuard() { api->ReleaseSessionOptions(o); }
    } guard{api, options};
    ORT_TRY(api->SetIntraOpNumThreads(options, intra_threads), CVN_ERR_MODEL_LOAD, "SetIntraOpNumThreads");
    ORT_TRY(api->SetInterOpNumThreads(options, 1), CVN_ERR_MODEL_LOAD, "SetInterOpNumThreads");
    ORT_TRY(api->SetSessionGraphOptimizationLevel(options, ORT_ENABLE_ALL), CVN_ERR_MODEL_LOAD, "optimisation level");
    // No arena: it keeps the largest input's buffers for good (a second look at a large size or the text
    // finder would hold ~100 MB more); freed buffers go back to malloc. Measured: same speed.
    ORT_TRY(api->DisableCpuMemArena(options), CVN_ERR_MODEL_LOAD, "DisableCpuMemArena");
    auto *s = new cvn_session{runtime};
    cvn_status st = ort_check(api, api->CreateSession(runtime->env, model_path, options, &s->session),
                              CVN_ERR_MODEL_LOAD, "cannot load model");
    if (st != CVN_OK) {
      delete s;
      return st;
    }
    OrtAllocator *alloc = nullptr;
    ORT_TRY(api->GetAllocatorWithDefaultOptions(&alloc), CVN_ERR_MODEL_LOAD, "allocator");
    size_t n_in = 0, n_out = 0;
    ORT_TRY(api->SessionGetInputCount(s->session, &n_in), CVN_ERR_MODEL_LOAD, "input count");
    ORT_TRY(api->SessionGetOutputCount(s->session, &n_out), CVN_ERR_MODEL_LOAD, "output count");
    if (n_in != 1) {
      api->ReleaseSession(s->session);
      delete s;
      return fail(CVN_ERR_MODEL_LOAD, "model must have exactly one input");
    }
    for (size_t i = 0; i < n_in + n_out; i++) {
      char *name = nullptr;
      if (i < n_in)
        ORT_TRY(api->SessionGetInputName(s->session, i, alloc, &name), CVN_ERR_MODEL_LOAD, "input name");
      else
        ORT_TRY(api->SessionGetOutputName(s->session, i - n_in, alloc, &name), CVN_ERR_MODEL_LOAD, "output name");
      (i < n_in ? s->input_names : s->output_names).emplace_back(name);
      api->ReleaseStatus(api->AllocatorFree(alloc, name));
    }
    *out = s;
#ifdef __GLIBC__
    // Loading parsed the whole model file into memory and copied its weights out: give the freed heap back to
    // the system (13 MB of resident memory for the three models), or glibc keeps it for the process's life.
    malloc_trim(0);
#endif
    return CVN_OK;
  });
}

extern "C" void cvn_session_free(cvn_session *session) {
  if (!session) return;
  if (session->session) session->runtime->api->ReleaseSession(session->session);
  delete session;
}

extern "C" cvn_status cvn_session_metadata(cvn_session *session, const char *key, char **value) {
  if (!session || !key || !value) return fail(CVN_ERR_INVALID_ARGUMENT, "null argument");
  *value = nullptr;
  const OrtApi *api = session->runtime->api;
  return guarded([&]() -> cvn_status {
    OrtModelMetadata *meta = nullptr;
    ORT_TRY(api->SessionGetModelMetadata(session->session, &meta), CVN_ERR_MODEL_LOAD, "metadata");
    OrtAllocator *alloc = nullptr;
    OrtStatus *st = api->GetAllocatorWithDefaultOptions(&alloc);
    char *v = nullptr;
    if (!st) st = api->ModelMetadataLookupCustomMetadataMap(meta, alloc, key, &v);
    api->ReleaseModelMetadata(meta);
    ORT_TRY(st, CVN_ERR_MODEL_LOAD, "metadata lookup");
    if (v) {
      *value = strdup(v);
      api->ReleaseStatus(api->AllocatorFree(alloc, v));
    }
    return CVN_OK;
  });
}

extern "C" cvn_status cvn_session_run(cvn_session *session, const float *input, const int64_t *shape, size_t rank,
                                      cvn_outputs **out) {
  if (!session || !input || !shape || !out || rank == 0 || rank > 8)
    return fail(CVN_ERR_INVALID_ARGUMENT, "bad input tensor");
  *out = nullptr;
  const OrtApi *api = session->runtime->api;
  return guarded([&]() -> cvn_status {
    size_t count = 1;
    for (size_t i = 0; i < rank; i++) {
      if (shape[i] <= 0) return fail(CVN_ERR_INVALID_ARGUMENT, "non-positive tensor dimension");
      count *= size_t(shape[i]);
    }
    OrtMemoryInfo *mem = nullptr;
    ORT_TRY(api->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &mem), CVN_ERR_INFERENCE, "memory info");
    OrtValue *in = nullptr;
    OrtStatus *st = api->CreateTensorWithDataAsOrtValue(mem, const_cast<float *>(input), count * sizeof(float), shape,
                                                        rank, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &in);
    api->ReleaseMemoryInfo(mem);
    ORT_TRY(st, CVN_ERR_INFERENCE, "input tensor");
    std::vector<const char *> in_names = {session->input_names[0].c_str()};
    std::vector<const char *> out_names;
    for (auto &n : session->output_names) out_names.push_back(n.c_str());
    auto result = std::make_unique<cvn_outputs>();
    result->api = api;
    result->values.assign(out_names.size(), nullptr);
    st = api->Run(session->session, nullptr, in_names.data(), &in, 1, out_names.data(), out_names.size(),
                  result->values.data());
    api->ReleaseValue(in);
    ORT_TRY(st, CVN_ERR_INFERENCE, "inference failed");
    for (OrtValue *v : result->values) {
      OrtTensorTypeAndShapeInfo *info = nullptr;
      ORT_TRY(api->GetTensorTypeAndShape(v, &info), CVN_ERR_INFERENCE, "output shape");
      size_t dims = 0;
      ONNXTensorElementDataType type;
      OrtStatus *s1 = api->GetDimensionsCount(info, &dims);
      std::vector<int64_t> sh(dims);
      if (!s1) s1 = api->GetDimensions(info, sh.data(), dims);
      if (!s1) s1 = api->GetTensorElementType(info, &type);
      api->ReleaseTensorTypeAndShapeInfo(info);
      ORT_TRY(s1, CVN_ERR_INFERENCE, "output shape");
      if (type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) return fail(CVN_ERR_INFERENCE, "model output is not float32");
      void *data = nullptr;
      ORT_TRY(api->GetTensorMutableData(v, &data), CVN_ERR_INFERENCE, "output data");
      result->shapes.push_back(std::move(sh));
      result->data.push_back(static_cast<const float *>(data));
    }
    *out = result.release();
    return CVN_OK;
  });
}

extern "C" size_t cvn_outputs_count(const cvn_outputs *outputs) { return outputs ? outputs->data.size() : 0; }

extern "C" const float *cvn_outputs_tensor(const cvn_outputs *outputs, size_t index, const int64_t **shape,
                                           size_t *rank) {
  if (!outputs || index >= outputs->data.size()) return nullptr;
  if (shape) *shape = outputs->shapes[index].data();
  if (rank) *rank = outputs->shapes[index].size();
  return outputs->data[index];
}

extern "C" void cvn_outputs_free(cvn_outputs *outputs) { delete outputs; }
