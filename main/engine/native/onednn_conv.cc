// Native 2-D convolutions for the tfjs wasm backend, computed by oneDNN (Intel's deep-learning
// primitives, the library PyTorch's CPU convolutions use) on float32 NHWC tensors that live in the
// wasm heap. JavaScript passes Float32Array views of the heap; we compute in place, no copies.
//
// conv(kind, a, aShape, b, bShape, bias|null, out, outShape, [sh, sw, pt, pl, pb, pr], activation, threads)
//   kind 0 forward:          a = x [N,H,W,C], b = filter [KH,KW,C,OC] (HWIO), out = y [N,OH,OW,OC]
//   kind 1 backward data:    a = dy [N,OH,OW,OC], b = filter (HWIO),       out = dx [N,H,W,C]
//   kind 2 backward weights: a = x [N,H,W,C], b = dy [N,OH,OW,OC],         out = dfilter (HWIO)
// activation (forward only): 0 linear, 1 relu, 2 sigmoid — applied as a oneDNN post-op.
// Primitives are cached per thread (each Node worker thread has its own engine, stream and cache).
#include <napi.h>
#include <dnnl.hpp>
#include <omp.h>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <memory>
#include <string>
#include <unordered_map>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

struct Geometry {
  memory::dims x, w, y, strides, padL, padR;
};

struct Entry {
  primitive prim;
  memory::desc aDesc, bDesc, outDesc;  // what the primitive wants
  memory::desc aUser, bUser, outUser;  // what JavaScript has
  bool hasBias = false;
};

struct ThreadState {
  engine eng{engine::kind::cpu, 0};
  stream strm{eng};
  std::unordered_map<std::string, std::shared_ptr<Entry>> cache;
};

ThreadState& state() {
  thread_local ThreadState s;
  return s;
}

primitive_attr makeAttr(int activation) {
  primitive_attr attr;
  if (activation == 1 || activation == 2) {
    post_ops ops;
    ops.append_eltwise(1.f, activation == 1 ? algorithm::eltwise_relu : algorithm::eltwise_logistic, 0.f, 0.f);
    attr.set_post_ops(ops);
  }
  return attr;
}

// Activation layout the primitives are asked for: NHWC as tfjs holds it (no reorders), or 'any'
// (oneDNN's blocked layouts, plus a reorder in and out). SONOSEG_ONEDNN_LAYOUT=any picks the latter.
tag actTag() {
  static const tag t = [] {
    const char* v = std::getenv("SONOSEG_ONEDNN_LAYOUT");
    return v && std::string(v) == "any" ? tag::any : tag::nhwc;
  }();
  return t;
}

convolution_forward::desc fwdDesc(const Geometry& g, prop_kind pk, bool bias) {
  memory::desc x(g.x, dt::f32, actTag()), w(g.w, dt::f32, tag::any), y(g.y, dt::f32, actTag());
  if (bias) {
    memory::desc b({g.w[0]}, dt::f32, tag::x);
    return convolution_forward::desc(pk, algorithm::convolution_direct, x, w, b, y, g.strides, g.padL, g.padR);
  }
  return convolution_forward::desc(pk, algorithm::convolution_direct, x, w, y, g.strides, g.padL, g.padR);
}

std::shared_ptr<Entry> build(int kind, const Geometry& g, bool bias, int activation) {
  auto& s = state();
  auto e = std::make_shared<Entry>();
  memory::desc xUser(g.x, dt::f32, tag::nhwc), wUser(g.w, dt::f32, tag::hwio), yUser(g.y, dt::f32, tag::nhwc);
  if (kind == 0) {
    auto pd = convolution_forward::primitive_desc(fwdDesc(g, prop_kind::forward_training, bias), makeAttr(activation), s.eng);
    e->prim = convolution_forward(pd);
    e->aDesc = pd.src_desc(); e->bDesc = pd.weights_desc(); e->outDesc = pd.dst_desc();
    e->aUser = xUser; e->bUser = wUser; e->outUser = yUser; e->hasBias = bias;
  } else {
    auto hint = convolution_forward::primitive_desc(fwdDesc(g, prop_kind::forward_training, false), s.eng);
    memory::desc x(g.x, dt::f32, actTag()), w(g.w, dt::f32, tag::any), y(g.y, dt::f32, actTag());
    if (kind == 1) {
      auto d = convolution_backward_data::desc(algorithm::convolution_direct, x, w, y, g.strides, g.padL, g.padR);
      auto pd = convolution_backward_data::primitive_desc(d, s.eng, hint);
      e->prim = convolution_backward_data(pd);
      e->aDesc = pd.diff_dst_desc(); e->bDesc = pd.weights_desc(); e->outDesc = pd.diff_src_desc();
      e->aUser = yUser; e->bUser = wUser; e->outUser = xUser;
    } else {
      auto d = convolution_backward_weights::desc(algorithm::convolution_direct, x, w, y, g.strides, g.padL, g.padR);
      auto pd = convolution_backward_weights::primitive_desc(d, s.eng, hint);
      e->prim = convolution_backward_weights(pd);
      e->aDesc = pd.src_desc(); e->bDesc = pd.diff_dst_desc(); e->outDesc = pd.diff_weights_desc();
      e->aUser = xUser; e->bUser = yUser; e->outUser = wUser;
    }
  }
  return e;
}

// Wraps user memory; if the primitive wants another layout, reorders into a scratch buffer.
memory inputMemory(const memory::desc& want, const memory::desc& user, float* ptr) {
  auto& s = state();
  memory um(user, s.eng, ptr);
  if (want == user) return um;
  memory m(want, s.eng);
  reorder(um, m).execute(s.strm, um, m);
  return m;
}

std::string key(int kind, const Geometry& g, bool bias, int act) {
  std::string k = std::to_string(kind) + "/" + std::to_string(bias) + "/" + std::to_string(act);
  for (auto* v : {&g.x, &g.w, &g.y, &g.strides, &g.padL, &g.padR})
    for (auto d : *v) k += "," + std::to_string(d);
  return k;
}

float* dataOf(const Napi::Value& v) {
  auto a = v.As<Napi::Float32Array>();
  return a.Data();
}

memory::dims dimsOf(const Napi::Value& v) {
  auto a = v.As<Napi::Array>();
  memory::dims d;
  for (uint32_t i = 0; i < a.Length(); i++) d.push_back(a.Get(i).As<Napi::Number>().Int64Value());
  return d;
}

Napi::Value Conv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 11) {
    Napi::TypeError::New(env, "conv: 11 arguments expected").ThrowAsJavaScriptException();
    return env.Null();
  }
  int kind = info[0].As<Napi::Number>().Int32Value();
  auto aShape = dimsOf(info[2]), bShape = dimsOf(info[4]), outShape = dimsOf(info[7]);
  auto p = dimsOf(info[8]);
  int activation = info[9].As<Napi::Number>().Int32Value();
  omp_set_num_threads(info[10].As<Napi::Number>().Int32Value());
  bool bias = !info[5].IsNull() && !info[5].IsUndefined();
  // NHWC [N,H,W,C] → oneDNN logical dims [N,C,H,W]; HWIO [KH,KW,I,O] → [O,I,KH,KW].
  auto nchw = [](const memory::dims& s) { return memory::dims{s[0], s[3], s[1], s[2]}; };
  auto oihw = [](const memory::dims& s) { return memory::dims{s[3], s[2], s[0], s[1]}; };
  Geometry g;
  if (kind == 0) { g.x = nchw(aShape); g.w = oihw(bShape); g.y = nchw(outShape); }
  else if (kind == 1) { g.y = nchw(aShape); g.w = oihw(bShape); g.x = nchw(outShape); }
  else { g.x = nchw(aShape); g.y = nchw(bShape); g.w = oihw(outShape); }
  g.strides = {p[0], p[1]}; g.padL = {p[2], p[3]}; g.padR = {p[4], p[5]};
  try {
    auto& s = state();
    auto k = key(kind, g, bias, activation);
    auto it = s.cache.find(k);
    auto e = it != s.cache.end() ? it->second : (s.cache[k] = build(kind, g, bias, activation));
    memory a = inputMemory(e->aDesc, e->aUser, dataOf(info[1]));
    memory b = inputMemory(e->bDesc, e->bUser, dataOf(info[3]));
    memory outUser(e->outUser, s.eng, dataOf(info[6]));
    memory out = e->outDesc == e->outUser ? outUser : memory(e->outDesc, s.eng);
    std::unordered_map<int, memory> args;
    if (kind == 0) {
      args = {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, out}};
      if (bias) args[DNNL_ARG_BIAS] = memory({{g.w[0]}, dt::f32, tag::x}, s.eng, dataOf(info[5]));
    } else if (kind == 1) {
      args = {{DNNL_ARG_DIFF_DST, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DIFF_SRC, out}};
    } else {
      args = {{DNNL_ARG_SRC, a}, {DNNL_ARG_DIFF_DST, b}, {DNNL_ARG_DIFF_WEIGHTS, out}};
    }
    e->prim.execute(s.strm, args);
    if (out.get_desc() != outUser.get_desc()) reorder(out, outUser).execute(s.strm, out, outUser);
    s.strm.wait();
  } catch (const dnnl::error& err) {
    Napi::Error::New(env, std::string("oneDNN: ") + err.what()).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

// concatLast(inputs: Float32Array[], widths: number[], out: Float32Array, outer, threads):
// concatenation along the last (channel) axis of NHWC tensors — the U-Net's skip connections.
// tfjs-wasm does this in JavaScript, one row at a time; here it is a parallel memcpy per pixel.
Napi::Value ConcatLast(const Napi::CallbackInfo& info) {
  auto inputs = info[0].As<Napi::Array>();
  auto widthsArr = info[1].As<Napi::Array>();
  float* out = dataOf(info[2]);
  int64_t outer = info[3].As<Napi::Number>().Int64Value();
  int threads = info[4].As<Napi::Number>().Int32Value();
  std::vector<const float*> src;
  std::vector<int64_t> widths, offsets;
  int64_t total = 0;
  for (uint32_t j = 0; j < inputs.Length(); j++) {
    src.push_back(dataOf(inputs.Get(j)));
    widths.push_back(widthsArr.Get(j).As<Napi::Number>().Int64Value());
    offsets.push_back(total);
    total += widths.back();
  }
  const size_t n = src.size();
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t p = 0; p < outer; p++) {
    float* o = out + p * total;
    for (size_t j = 0; j < n; j++) std::memcpy(o + offsets[j], src[j] + p * widths[j], widths[j] * sizeof(float));
  }
  return info.Env().Undefined();
}

// maxPoolGrad2x2(dy, x, y, dx, n, h, w, c, threads): the gradient of 2×2 stride-2 max pooling on NHWC.
// Each window's dy goes to the first position (row-major) that holds the window's maximum y — the
// same tie rule as the tfjs cpu kernel; the other three positions get 0.
Napi::Value MaxPoolGrad2x2(const Napi::CallbackInfo& info) {
  const float* dy = dataOf(info[0]);
  const float* x = dataOf(info[1]);
  const float* y = dataOf(info[2]);
  float* dx = dataOf(info[3]);
  const int64_t n = info[4].As<Napi::Number>().Int64Value(), h = info[5].As<Napi::Number>().Int64Value();
  const int64_t w = info[6].As<Napi::Number>().Int64Value(), c = info[7].As<Napi::Number>().Int64Value();
  const int threads = info[8].As<Napi::Number>().Int32Value();
  const int64_t oh = h / 2, ow = w / 2;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t r = 0; r < n * oh; r++) {
    const int64_t b = r / oh, i = r % oh;
    for (int64_t j = 0; j < ow; j++) {
      const int64_t o = ((b * oh + i) * ow + j) * c;
      const int64_t p00 = ((b * h + 2 * i) * w + 2 * j) * c, p01 = p00 + c, p10 = p00 + w * c, p11 = p10 + c;
      for (int64_t k = 0; k < c; k++) {
        const float m = y[o + k], g = dy[o + k];
        bool done = false;
        for (int64_t q : {p00, p01, p10, p11}) {
          const bool hit = !done && x[q + k] == m;
          dx[q + k] = hit ? g : 0.f;
          done = done || hit;
        }
      }
    }
  }
  return info.Env().Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  auto v = dnnl::version();
  auto o = Napi::Object::New(info.Env());
  o.Set("version", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
  o.Set("cpuIsa", Napi::Number::New(info.Env(), static_cast<int>(dnnl::get_effective_cpu_isa())));
  o.Set("maxThreads", Napi::Number::New(info.Env(), omp_get_max_threads()));
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("conv", Napi::Function::New(env, Conv));
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("concatLast", Napi::Function::New(env, ConcatLast));
  exports.Set("maxPoolGrad2x2", Napi::Function::New(env, MaxPoolGrad2x2));
  return exports;
}

}  // namespace

NODE_API_MODULE(sonoseg_onednn, Init)
