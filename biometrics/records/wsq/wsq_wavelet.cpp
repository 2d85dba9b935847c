#include "biometrics/records/wsq/wsq_wavelet.h"

#include <algorithm>
#include <cstddef>

namespace rekam::bio::wsq {

namespace {

// The decomposition tree of the specification (its figure of the 64 subbands): every node is a
// rectangle split once into four quadrants (top-left, top-right, bottom-left, bottom-right); the
// leaves are the subbands, numbered depth first.
enum class Shape { leaf, discarded, quad, quad_of_quads, level5, level4, level2, root };

struct Children {
    Shape tl, tr, bl, br;
};

Children children_of(Shape s) {
    switch (s) {
        case Shape::quad:
            return {Shape::leaf, Shape::leaf, Shape::leaf, Shape::leaf};
        case Shape::quad_of_quads:
            return {Shape::quad, Shape::quad, Shape::quad, Shape::quad};
        case Shape::level5:
            return {Shape::quad, Shape::leaf, Shape::leaf, Shape::leaf};
        case Shape::level4:
            return {Shape::level5, Shape::quad, Shape::quad, Shape::quad};
        case Shape::level2:
            return {Shape::level4, Shape::quad_of_quads, Shape::quad_of_quads, Shape::leaf};
        case Shape::root:
            return {Shape::level2, Shape::quad, Shape::quad, Shape::discarded};
        default:
            return {Shape::leaf, Shape::leaf, Shape::leaf, Shape::leaf};
    }
}

// One 2-D split. A quadrant that is highpass along x (y) is split with its halves swapped
// ("spectral inversion"), so the highpass half comes first along that axis.
struct Split {
    Rect rect;
    bool invert_x = false;
    bool invert_y = false;
};

// The lowpass half of an odd length gets the extra sample.
std::array<Rect, 4> quadrants(const Split& s) {
    const Rect& r = s.rect;
    const int left = s.invert_x ? r.width / 2 : (r.width + 1) / 2;
    const int top = s.invert_y ? r.height / 2 : (r.height + 1) / 2;
    return {Rect{r.x, r.y, left, top}, Rect{r.x + left, r.y, r.width - left, top},
            Rect{r.x, r.y + top, left, r.height - top},
            Rect{r.x + left, r.y + top, r.width - left, r.height - top}};
}

struct Tree {
    std::vector<Split> splits;  // parents before children
    Layout layout;
    int leaves = 0;
};

void walk(Tree& tree, const Split& node, Shape shape) {
    if (shape == Shape::leaf) {
        tree.layout.subbands[static_cast<std::size_t>(tree.leaves++)] = node.rect;
        return;
    }
    if (shape == Shape::discarded) {
        tree.layout.discarded = node.rect;
        return;
    }
    tree.splits.push_back(node);
    const auto q = quadrants(node);
    const Children c = children_of(shape);
    walk(tree, {q[0], false, false}, c.tl);
    walk(tree, {q[1], true, false}, c.tr);
    walk(tree, {q[2], false, true}, c.bl);
    walk(tree, {q[3], true, true}, c.br);
}

Tree build_tree(int width, int height) {
    Tree tree;
    walk(tree, {Rect{0, 0, width, height}, false, false}, Shape::root);
    return tree;
}

// Whole-sample symmetric extension: x[-i] = x[i], x[n-1+i] = x[n-1-i].
int reflect(int i, int n) {
    if (n == 1) return 0;
    const int period = 2 * (n - 1);
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - i;
}

// Margins of the padded lines: the widest filter reaches 4 samples past either end.
constexpr int kPad = 4;

// Copies n samples (from `from`, `stride` apart) into line[kPad .. kPad+n) and fills the
// margins by symmetric extension, so the filters below need no bounds checks.
void load_padded(const float* from, std::ptrdiff_t stride, int n, std::vector<float>& line) {
    float* x = line.data() + kPad;
    for (int i = 0; i < n; ++i) x[i] = from[i * stride];
    for (int i = 1; i <= kPad; ++i) {
        x[-i] = x[reflect(-i, n)];
        x[n - 1 + i] = x[reflect(n - 1 + i, n)];
    }
}

// Filters a padded line of n samples (x[-4] .. x[n+3] readable) into lowpass and highpass
// halves, written to `out` with `stride`: lowpass first, or highpass first when inverted.
void analyse(const float* x, int n, float* out, std::ptrdiff_t stride, bool invert,
             const Filters& f) {
    const int nl = (n + 1) / 2;
    const int nh = n / 2;
    float* lo = out + (invert ? nh : 0) * stride;
    float* hi = out + (invert ? 0 : nl) * stride;
    const float* h0 = f.lowpass.data() + 4;   // h0[-4 .. 4]
    const float* h1 = f.highpass.data() + 3;  // h1[-3 .. 3]
    for (int k = 0; k < nl; ++k) {
        const float* c = x + 2 * k;
        float sum = h0[0] * c[0];
        for (int j = 1; j <= 4; ++j) sum += h0[j] * (c[j] + c[-j]);
        lo[k * stride] = sum;
    }
    for (int k = 0; k < nh; ++k) {
        const float* c = x + 2 * k + 1;
        float sum = h1[0] * c[0];
        for (int j = 1; j <= 3; ++j) sum += h1[j] * (c[j] + c[-j]);
        hi[k * stride] = sum;
    }
}

// Synthesis filters of the pair: the analysis filters modulated by (-1)^m and swapped.
struct Synthesis {
    std::array<float, 7> lowpass;   // centre [3]
    std::array<float, 9> highpass;  // centre [4]
    explicit Synthesis(const Filters& f) {
        for (int m = -3; m <= 3; ++m)
            lowpass[static_cast<std::size_t>(m + 3)] =
                (m % 2 ? -1.0f : 1.0f) * f.highpass[static_cast<std::size_t>(m + 3)];
        for (int m = -4; m <= 4; ++m)
            highpass[static_cast<std::size_t>(m + 4)] =
                (m % 2 ? -1.0f : 1.0f) * f.lowpass[static_cast<std::size_t>(m + 4)];
    }
};

// Inverse of analyse(). The n samples (from `from`, `stride` apart) hold the two halves as
// analyse() laid them out. Each half is extended the way the symmetric signal extension makes
// it: the lowpass sample at even position p and the highpass one at odd position p are those
// of position reflect(p). lo/hi are scratch lines of at least n/2 + 8.
void synthesise(float* from, std::ptrdiff_t stride, int n, bool invert, const Synthesis& g,
                std::vector<float>& lo_line, std::vector<float>& hi_line) {
    const int nl = (n + 1) / 2;
    const int nh = n / 2;
    // lo[k] for k in [-2, nl+2), hi[k] for k in [-3, nh+2): every index the loops below use.
    float* lo = lo_line.data() + 3;
    float* hi = hi_line.data() + 3;
    const float* lo_src = from + (invert ? nh : 0) * stride;
    const float* hi_src = from + (invert ? 0 : nl) * stride;
    for (int k = 0; k < nl; ++k) lo[k] = lo_src[k * stride];
    for (int k = 0; k < nh; ++k) hi[k] = hi_src[k * stride];
    for (int k : {-2, -1, nl, nl + 1}) lo[k] = lo[reflect(2 * k, n) / 2];
    for (int k : {-3, -2, -1, nh, nh + 1}) hi[k] = nh > 0 ? hi[(reflect(2 * k + 1, n) - 1) / 2] : 0;
    const float* g0 = g.lowpass.data() + 3;   // g0[-3 .. 3], symmetric
    const float* g1 = g.highpass.data() + 4;  // g1[-4 .. 4], symmetric
    // x = 2m takes lowpass samples at 2m-2 .. 2m+2 and highpass ones at 2m-3 .. 2m+3;
    // x = 2m+1 lowpass at 2m-2 .. 2m+4 and highpass at 2m-3 .. 2m+5.
    for (int m = 0; 2 * m < n; ++m) {
        const float* l = lo + m;
        const float* h = hi + m;
        from[2 * m * stride] =
            g0[0] * l[0] + g0[2] * (l[-1] + l[1]) + g1[1] * (h[-1] + h[0]) + g1[3] * (h[-2] + h[1]);
        if (2 * m + 1 < n)
            from[(2 * m + 1) * stride] = g0[1] * (l[0] + l[1]) + g0[3] * (l[-1] + l[2]) +
                                         g1[0] * h[0] + g1[2] * (h[-1] + h[1]) +
                                         g1[4] * (h[-2] + h[2]);
    }
}

}  // namespace

Filters standard_filters() {
    return Filters{
        {0.037828455506995f, -0.023849465019380f, -0.110624404418423f, 0.377402855612654f,
         0.852698679009403f, 0.377402855612654f, -0.110624404418423f, -0.023849465019380f,
         0.037828455506995f},
        {0.064538882628938f, -0.040689417609558f, -0.418092273222212f, 0.788485616405664f,
         -0.418092273222212f, -0.040689417609558f, 0.064538882628938f}};
}

Layout subband_layout(int width, int height) { return build_tree(width, height).layout; }

void decompose(std::vector<float>& plane, int width, int height, const Filters& filters) {
    const Tree tree = build_tree(width, height);
    std::vector<float> line(static_cast<std::size_t>(std::max(width, height) + 2 * kPad));
    for (const Split& s : tree.splits) {
        const Rect& r = s.rect;
        for (int y = r.y; y < r.y + r.height; ++y) {
            float* row = plane.data() + static_cast<std::size_t>(y) * width + r.x;
            load_padded(row, 1, r.width, line);
            analyse(line.data() + kPad, r.width, row, 1, s.invert_x, filters);
        }
        for (int x = r.x; x < r.x + r.width; ++x) {
            float* column = plane.data() + static_cast<std::size_t>(r.y) * width + x;
            load_padded(column, width, r.height, line);
            analyse(line.data() + kPad, r.height, column, width, s.invert_y, filters);
        }
    }
}

void reconstruct(std::vector<float>& plane, int width, int height, const Filters& filters) {
    const Tree tree = build_tree(width, height);
    const Synthesis synthesis(filters);
    const auto half = static_cast<std::size_t>(std::max(width, height) / 2 + 8);
    std::vector<float> lo(half), hi(half);
    for (auto it = tree.splits.rbegin(); it != tree.splits.rend(); ++it) {
        const Rect& r = it->rect;
        for (int x = r.x; x < r.x + r.width; ++x)
            synthesise(plane.data() + static_cast<std::size_t>(r.y) * width + x, width, r.height,
                       it->invert_y, synthesis, lo, hi);
        for (int y = r.y; y < r.y + r.height; ++y)
            synthesise(plane.data() + static_cast<std::size_t>(y) * width + r.x, 1, r.width,
                       it->invert_x, synthesis, lo, hi);
    }
}

}  // namespace rekam::bio::wsq
