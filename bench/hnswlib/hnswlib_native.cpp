// Native hnswlib side of `retrieval-bench index`: Debian's libhnswlib-dev headers compiled for this CPU
// (g++ -O3 -march=native, so hnswlib picks its AVX-512 kernels where the CPU has them).
//
//   hnswlib-native build  --data D.npy --space l2|ip --m M --ef-construction E --threads T --seed S --index OUT
//       builds (T threads, hnswlib's own ParallelFor scheme), saves; prints {"buildSeconds", "buildCpuSeconds", "saveSeconds"}
//   hnswlib-native search --index IDX --space l2|ip --dim D --queries Q.npy --truth T.npy --k K --ef EF
//                         --threads T --repeats R
//       recall@k and queries/s on 1 thread and on T threads (best of R timed passes after one warm-up), and
//       queries per CPU-second on 1 thread; prints {"ef", "recall", "qps1", "qpsAll", "qps1Cpu"}
//   hnswlib-native load   --index IDX --space l2|ip --dim D
//       prints {"loadSeconds", "loadCpuSeconds", "rssBytes", "rssAnonBytes"}: load time and resident memory the load added
//
// Vectors for "ip" must already be L2-normalised (cosine distance = 1 - dot), as the C# side writes them.
#include <hnswlib/hnswlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Array2 {
    std::vector<char> bytes;
    size_t rows = 0, cols = 0;
    template <typename T> const T* as() const { return reinterpret_cast<const T*>(bytes.data()); }
};

// Reads a 2-D little-endian C-order .npy file (format 1.0) of the given dtype ("<f4" or "<i8").
Array2 read_npy(const std::string& path, const std::string& dtype, size_t item) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot open");
    char prefix[10];
    in.read(prefix, 10);
    if (!in || prefix[0] != '\x93' || std::string(prefix + 1, 5) != "NUMPY" || prefix[6] != 1)
        throw std::runtime_error(path + ": not a version 1.0 .npy file");
    size_t header_len = (unsigned char)prefix[8] | ((unsigned char)prefix[9] << 8);
    std::string header(header_len, ' ');
    in.read(&header[0], header_len);
    if (header.find("'descr': '" + dtype + "'") == std::string::npos || header.find("'fortran_order': False") == std::string::npos)
        throw std::runtime_error(path + ": expected dtype " + dtype + " in C order, header: " + header);
    Array2 a;
    if (std::sscanf(header.c_str() + header.find("'shape': (") + 10, "%zu, %zu", &a.rows, &a.cols) != 2)
        throw std::runtime_error(path + ": expected a 2-D array, header: " + header);
    a.bytes.resize(a.rows * a.cols * item);
    in.read(a.bytes.data(), a.bytes.size());
    if (!in) throw std::runtime_error(path + ": truncated");
    return a;
}

double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU seconds this process has used (all threads).
double cpu_now() {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Resident memory from /proc/self/status, in bytes ("VmRSS" or "RssAnon").
long long status_kb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    size_t n = std::strlen(key);
    while (std::getline(in, line))
        if (line.compare(0, n, key) == 0 && line[n] == ':') return std::stoll(line.substr(n + 1)) * 1024;
    return -1;
}

// hnswlib's python bindings' scheme: each thread takes the next row from a shared counter.
template <typename F> void parallel_for(size_t n, int threads, F&& body) {
    if (threads <= 1) {
        for (size_t i = 0; i < n; i++) body(i);
        return;
    }
    std::atomic<size_t> next(0);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; t++)
        pool.emplace_back([&] {
            for (size_t i; (i = next.fetch_add(1)) < n;) body(i);
        });
    for (auto& t : pool) t.join();
}

std::unique_ptr<hnswlib::SpaceInterface<float>> make_space(const std::string& space, size_t dim) {
    if (space == "l2") return std::make_unique<hnswlib::L2Space>(dim);
    if (space == "ip") return std::make_unique<hnswlib::InnerProductSpace>(dim);
    throw std::runtime_error("--space must be l2 or ip, got " + space);
}

struct Args {
    std::map<std::string, std::string> values;
    std::string get(const std::string& key) const {
        auto it = values.find(key);
        if (it == values.end()) throw std::runtime_error("missing --" + key);
        return it->second;
    }
    long num(const std::string& key) const { return std::stol(get(key)); }
};

int build(const Args& a) {
    auto data = read_npy(a.get("data"), "<f4", 4);
    auto space = make_space(a.get("space"), data.cols);
    hnswlib::HierarchicalNSW<float> index(space.get(), data.rows, a.num("m"), a.num("ef-construction"), a.num("seed"));
    const float* rows = data.as<float>();
    double start = now(), cpu_start = cpu_now();
    // hnswlib's python bindings add the first row alone, then the rest in parallel.
    index.addPoint(rows, 0);
    parallel_for(data.rows - 1, (int)a.num("threads"), [&](size_t i) { index.addPoint(rows + (i + 1) * data.cols, i + 1); });
    double built = now(), cpu = cpu_now() - cpu_start;
    index.saveIndex(a.get("index"));
    std::printf("{\"buildSeconds\": %.6f, \"buildCpuSeconds\": %.6f, \"saveSeconds\": %.6f}\n", built - start, cpu, now() - built);
    return 0;
}

// Queries per second of wall clock and per CPU-second, each the best of the timed passes after one warm-up.
std::pair<double, double> best_qps(hnswlib::HierarchicalNSW<float>& index, const Array2& queries, size_t k, int threads, int repeats,
                                   std::vector<hnswlib::labeltype>& labels) {
    labels.assign(queries.rows * k, (hnswlib::labeltype)-1);
    auto pass = [&] {
        parallel_for(queries.rows, threads, [&](size_t q) {
            auto top = index.searchKnn(queries.as<float>() + q * queries.cols, k);
            for (size_t r = top.size(); r-- > 0; top.pop()) labels[q * k + r] = top.top().second;
        });
    };
    pass(); // warm-up
    double wall = 1e300, cpu = 1e300;
    for (int r = 0; r < repeats; r++) {
        double start = now(), cpu_start = cpu_now();
        pass();
        wall = std::min(wall, now() - start);
        cpu = std::min(cpu, cpu_now() - cpu_start);
    }
    return {queries.rows / wall, queries.rows / std::max(cpu, 1e-9)};
}

int search(const Args& a) {
    auto queries = read_npy(a.get("queries"), "<f4", 4);
    auto truth = read_npy(a.get("truth"), "<i8", 8);
    size_t k = a.num("k");
    if (truth.rows != queries.rows || truth.cols < k) throw std::runtime_error("truth does not match the queries and k");
    auto space = make_space(a.get("space"), a.num("dim"));
    hnswlib::HierarchicalNSW<float> index(space.get(), a.get("index"));
    index.setEf(a.num("ef"));
    std::vector<hnswlib::labeltype> labels;
    int repeats = (int)a.num("repeats");
    auto [qps1, qps1_cpu] = best_qps(index, queries, k, 1, repeats, labels);
    double hits = 0;
    for (size_t q = 0; q < queries.rows; q++)
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                if ((long long)labels[q * k + i] == truth.as<long long>()[q * truth.cols + j]) hits++;
    std::vector<hnswlib::labeltype> ignored;
    double qps_all = best_qps(index, queries, k, (int)a.num("threads"), repeats, ignored).first;
    std::printf("{\"ef\": %ld, \"recall\": %.6f, \"qps1\": %.3f, \"qpsAll\": %.3f, \"qps1Cpu\": %.3f}\n", a.num("ef"),
                hits / (queries.rows * k), qps1, qps_all, qps1_cpu);
    return 0;
}

int load(const Args& a) {
    auto space = make_space(a.get("space"), a.num("dim"));
    long long rss = status_kb("VmRSS"), anon = status_kb("RssAnon");
    double start = now(), cpu_start = cpu_now();
    auto index = std::make_unique<hnswlib::HierarchicalNSW<float>>(space.get(), a.get("index"));
    double seconds = now() - start, cpu = cpu_now() - cpu_start;
    std::printf("{\"loadSeconds\": %.6f, \"loadCpuSeconds\": %.6f, \"rssBytes\": %lld, \"rssAnonBytes\": %lld, \"count\": %zu}\n", seconds, cpu,
                status_kb("VmRSS") - rss, status_kb("RssAnon") - anon, index->cur_element_count);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc < 2) throw std::runtime_error("usage: hnswlib-native build|search|load --key value ...");
        Args a;
        for (int i = 2; i + 1 < argc; i += 2) {
            if (std::strncmp(argv[i], "--", 2) != 0) throw std::runtime_error(std::string("expected --key, got ") + argv[i]);
            a.values[argv[i] + 2] = argv[i + 1];
        }
        std::string mode = argv[1];
        if (mode == "build") return build(a);
        if (mode == "search") return search(a);
        if (mode == "load") return load(a);
        throw std::runtime_error("unknown mode " + mode);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hnswlib-native: %s\n", e.what());
        return 1;
    }
}
