#include "explore/explore_ui.h"

#include <curses.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <clocale>
#include <cstdlib>
#include <thread>

#include "explore/layer_tree.h"
#include "explore/pending_owners.h"
#include "explore/screen_text.h"
#include "explore/tree_view.h"
#include "pkg/kinds.h"
#include "scan/history_labels.h"
#include "sources/package_attribution.h"
#include "util/big_array.h"
#include "util/interrupt.h"
#include "util/strings.h"
#include "waste/entry_fate.h"

namespace whittle {

namespace {

volatile sig_atomic_t g_signal = 0;
void OnSignal(int sig) { g_signal = sig; }


// How long a key read waits before the loop looks at the signal flag
// (and, while the owners are pending, at them).
constexpr int kPollMs = 250;
constexpr int kPendingPollMs = 30;

// Colour pairs; 0 is the terminal's default.
enum Pair : short { kGreen = 1, kYellow, kRed, kCyan, kMagenta, kBlue };

const char kFooter[] =
    "Tab pane  j/k move  Enter/Space/l/h open/close  / filter  s sort  w waste  c changes  q quit";

// Owns the terminal: newterm in the constructor, endwin + the old signal
// handlers back in the destructor, whatever path leaves RunExplore.
class Terminal {
 public:
  Terminal() = default;
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;
  ~Terminal() {
    if (screen_ != nullptr) {
      endwin();
      delscreen(screen_);
    }
    if (handlers_) {
      for (size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &old_[i], nullptr);
    }
  }

  Status Open() {
    std::setlocale(LC_ALL, "");
    screen_ = newterm(nullptr, stdout, stdin);
    if (screen_ == nullptr) {
      const char* term = std::getenv("TERM");
      return Error(Errc::kUsage, StrFormat("explore: cannot use the terminal (TERM=%s)", term ? term : ""));
    }
    struct sigaction sa = {};
    sa.sa_handler = OnSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a signal wakes the key read
    for (size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &sa, &old_[i]);
    handlers_ = true;
    raw();  // Ctrl-C arrives as a key (3); SIGINT from kill still works
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    timeout(kPollMs);  // poll the signal flag even when no key comes
    const char* no_color = std::getenv("NO_COLOR");
    if ((no_color == nullptr || *no_color == '\0') && has_colors()) {
      start_color();
      use_default_colors();
      init_pair(kGreen, COLOR_GREEN, -1);
      init_pair(kYellow, COLOR_YELLOW, -1);
      init_pair(kRed, COLOR_RED, -1);
      init_pair(kCyan, COLOR_CYAN, -1);
      init_pair(kMagenta, COLOR_MAGENTA, -1);
      init_pair(kBlue, COLOR_BLUE, -1);
      color_ = true;
    }
    return Status::Ok();
  }
  bool color() const { return color_; }

 private:
  SCREEN* screen_ = nullptr;
  bool handlers_ = false;
  bool color_ = false;
  // The signals that end explore: the handler records which, the key loop
  // returns 128 + n after the terminal is restored.
  static constexpr std::array<int, 3> kSignals = {SIGINT, SIGTERM, SIGHUP};
  std::array<struct sigaction, 3> old_ = {};
};

// The colour of a kind (docs/kinds.md); runtime and unknown kinds stay plain.
short KindPair(std::string_view kind) {
  if (kind == "toolchain") return kMagenta;
  if (kind == "package-cache" || kind == "logs-temp") return kYellow;
  if (kind == "docs" || kind == "tests-examples") return kCyan;
  if (kind == "bytecode" || kind == "vcs") return kBlue;
  if (kind == "secret-like") return kRed;
  return 0;
}

short MarkPair(Mark mark) {
  switch (mark) {
    case Mark::kAdded: return kGreen;
    case Mark::kModified: return kYellow;
    case Mark::kRemoved: return kRed;
    case Mark::kNone: return 0;
  }
  return 0;
}

class ExploreApp {
 public:
  ExploreApp(const ExploreOptions& options, std::vector<ExploreLayer> layers, PendingOwners* packages,
             LayerTree* tree)
      : options_(options), layers_(std::move(layers)), packages_(packages), view_(tree) {
    layer_ = tree->layer();
    view_.set_changes_only(options.changes_only);
  }

  ExitCode Loop(const Terminal& term) {
    color_ = term.color();
    bool owners_shown = packages_->get() != nullptr;
    if (!owners_shown) timeout(kPendingPollMs);
    for (;;) {
      Draw();
      packages_->Start();  // once the first frame is out (later calls do nothing)
      int ch = getch();
      if (g_signal != 0) return ExitCodeForSignal(g_signal);  // gives the terminal back first
      if (!owners_shown && packages_->get() != nullptr) {
        owners_shown = true;
        timeout(kPollMs);
      }
      if (ch == ERR) continue;
      message_.clear();
      if (ch == 'q') return ExitCode::kOk;
      if (ch == 3) return ExitCode::kInterrupted;  // Ctrl-C in raw mode: as SIGINT
      HandleKey(ch);
    }
  }

 private:
  enum class Pane { kLayers, kTree };

  std::string_view Owner(NodeId n) const {
    const PackageAttribution* packages = packages_->get();
    if (packages == nullptr) return "";
    const EntryRef* r = view_.tree().entry(n);
    const LayerEntry* e = view_.tree().member(n);
    if (r == nullptr || e->kind == EntryKind::kDir) return "";
    return packages->OwnerLabel(r->layer, r->index);
  }

  std::string_view Kind(NodeId n) const {
    const LayerEntry* e = view_.tree().member(n);
    if (e == nullptr || e->kind != EntryKind::kFile) return "";
    return pkg::KindTable::BuiltIn().Classify(view_.tree().path(n), Owner(n));
  }

  void SelectLayer(size_t layer) {
    layer_ = layer;
    view_.SelectLayer(layer);
  }

  void HandleKey(int ch) {
    const long page = std::max(1, tree_height_ - 1);
    switch (ch) {
      case '\t':
        pane_ = pane_ == Pane::kLayers ? Pane::kTree : Pane::kLayers;
        return;
      case 's':
        view_.set_sort(view_.sort() == SortBy::kSize ? SortBy::kName : SortBy::kSize);
        return;
      case 'w':
        view_.set_waste_only(!view_.waste_only());
        return;
      case 'c':
        view_.set_changes_only(!view_.changes_only());
        return;
      case '/':
        ReadFilter();
        return;
      case KEY_RESIZE:
        return;  // Draw() lays out again for the new size
      default:
        break;
    }
    if (pane_ == Pane::kLayers) {
      size_t n = layers_.size();
      switch (ch) {
        case KEY_UP: case 'k': if (layer_ > 0) SelectLayer(layer_ - 1); break;
        case KEY_DOWN: case 'j': if (layer_ + 1 < n) SelectLayer(layer_ + 1); break;
        case KEY_HOME: case 'g': SelectLayer(0); break;
        case KEY_END: case 'G': SelectLayer(n - 1); break;
        case '\n': case KEY_ENTER: case ' ': case 'l': case KEY_RIGHT: pane_ = Pane::kTree; break;
        default: break;
      }
      return;
    }
    switch (ch) {
      case KEY_UP: case 'k': view_.MoveCursor(-1); break;
      case KEY_DOWN: case 'j': view_.MoveCursor(1); break;
      case KEY_PPAGE: view_.MoveCursor(-page); break;
      case KEY_NPAGE: view_.MoveCursor(page); break;
      case KEY_HOME: case 'g': view_.MoveCursorTo(0); break;
      case KEY_END: case 'G': view_.MoveCursorTo(view_.rows().size()); break;
      case '\n': case KEY_ENTER: case ' ': view_.Toggle(); break;
      case 'l': case KEY_RIGHT: view_.Expand(); break;
      case 'h': case KEY_LEFT: view_.Collapse(); break;
      default: break;
    }
  }

  // A one-line editor in the footer: Enter applies ("" clears), Esc cancels.
  void ReadFilter() {
    std::string text = view_.filter();
    for (;;) {
      editing_ = &text;
      Draw();
      int ch = getch();
      if (g_signal != 0) break;
      if (ch == ERR || ch == KEY_RESIZE) continue;
      if (ch == 27 || ch == 3) break;
      if (ch == '\n' || ch == KEY_ENTER) {
        Status st = view_.SetFilter(text);
        if (!st.ok()) message_ = st.message();
        break;
      }
      if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (!text.empty()) text.pop_back();
      } else if (ch >= 0x20 && ch < 0x100 && ch != 0x7f) {
        text.push_back(static_cast<char>(ch));
      }
    }
    editing_ = nullptr;
  }

  void Put(int y, const std::string& text, attr_t attr = A_NORMAL, short pair = 0) {
    if (color_ && pair != 0) attr |= COLOR_PAIR(pair);
    attrset(attr);
    mvaddnstr(y, 0, text.c_str(), static_cast<int>(text.size()));
    attrset(A_NORMAL);
  }

  void Draw() {
    erase();
    const int h = LINES, w = COLS;
    if (h < 8 || w < 40) {
      Put(0, FitText("whittle explore: terminal too small", static_cast<size_t>(std::max(w, 1))));
      refresh();
      return;
    }
    const size_t width = static_cast<size_t>(w);
    // Title.
    std::string status = StrFormat("layer %zu/%zu  sort:%s", layer_ + 1, layers_.size(),
                                   view_.sort() == SortBy::kSize ? "size" : "name");
    if (view_.changes_only()) status += "  changes";
    if (view_.waste_only()) status += "  waste";
    if (!view_.filter().empty()) status += "  filter:/" + view_.filter() + "/";
    if (packages_->has_database() && packages_->get() == nullptr) status += "  packages...";
    status += StrFormat("  row %zu/%zu", view_.rows().empty() ? 0 : view_.cursor() + 1, view_.rows().size());
    Put(0, TitleLine(options_.image_ref, status, width), A_REVERSE);

    // Layers pane: a third of the screen at most.
    const int layer_rows = std::clamp(static_cast<int>(layers_.size()), 1, std::max(1, (h - 6) / 3));
    Put(1, LayersHeader(width), pane_ == Pane::kLayers ? A_BOLD | A_UNDERLINE : A_BOLD);
    int top = std::clamp(static_cast<int>(layer_) - layer_rows / 2, 0,
                         std::max(0, static_cast<int>(layers_.size()) - layer_rows));
    for (int i = 0; i < layer_rows && top + i < static_cast<int>(layers_.size()); ++i) {
      size_t li = static_cast<size_t>(top + i);
      attr_t a = li == layer_ ? (pane_ == Pane::kLayers ? A_REVERSE : A_BOLD) : A_NORMAL;
      Put(2 + i, LayerLine(layers_[li], width), a);
    }

    // Tree pane.
    const int tree_header = 2 + layer_rows;
    const size_t pkg_col = packages_->has_database() ? kPackageColumn : 0;
    Put(tree_header, TreeHeader(width, pkg_col), pane_ == Pane::kTree ? A_BOLD | A_UNDERLINE : A_BOLD);
    tree_height_ = h - tree_header - 3;
    const std::vector<TreeRow>& rows = view_.rows();
    const long cur = static_cast<long>(view_.cursor());
    if (cur < tree_top_) tree_top_ = cur;
    if (cur >= tree_top_ + tree_height_) tree_top_ = cur - tree_height_ + 1;
    tree_top_ = std::clamp<long>(tree_top_, 0, std::max<long>(0, static_cast<long>(rows.size()) - tree_height_));
    for (int i = 0; i < tree_height_ && tree_top_ + i < static_cast<long>(rows.size()); ++i) {
      size_t ri = static_cast<size_t>(tree_top_ + i);
      NodeId n = rows[ri].node;
      std::string_view owner = pkg_col > 0 ? Owner(n) : std::string_view();
      attr_t a = ri == view_.cursor() && pane_ == Pane::kTree ? A_REVERSE : A_NORMAL;
      if (ri == view_.cursor() && pane_ != Pane::kTree) a = A_BOLD;
      Mark m = view_.tree().mark(n);
      short pair = m != Mark::kNone ? MarkPair(m) : KindPair(Kind(n));
      Put(tree_header + 1 + i, TreeLine(view_, rows[ri], owner, pkg_col, width), a, pair);
    }
    if (rows.empty()) Put(tree_header + 1, FitText("  (nothing to show)", width), A_DIM);

    // Details and footer.
    std::string details = rows.empty() ? FitText("", width)
                                       : DetailsLine(view_.tree(), view_.selected(), layers_,
                                                     Kind(view_.selected()), width);
    Put(h - 2, details, A_BOLD);
    if (editing_ != nullptr) {
      Put(h - 1, FitText("filter (regex, Enter applies, Esc cancels): /" + *editing_, width), A_REVERSE);
    } else if (!message_.empty()) {
      Put(h - 1, FitText(message_, width), A_REVERSE, kRed);
    } else {
      Put(h - 1, FitText(kFooter, width), A_REVERSE);
    }
    refresh();
  }

  const ExploreOptions& options_;
  std::vector<ExploreLayer> layers_;
  PendingOwners* packages_;
  TreeView view_;
  size_t layer_ = 0;
  Pane pane_ = Pane::kTree;
  long tree_top_ = 0;
  int tree_height_ = 1;
  bool color_ = false;
  std::string message_;
  const std::string* editing_ = nullptr;
};

}  // namespace

Result<ExitCode> RunExplore(const ExploreOptions& options, const Image& image, const ImageScan& scan,
                            const CaptureRules& rules, std::function<void()> read_bodies) {
  if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
    return Error(Errc::kUsage,
                 "explore: needs a terminal; for a report use `whittle profile IMAGE` (or waste, history)");
  }
  if (scan.layers.empty()) return Error(Errc::kUsage, "explore: the image has no layers");
  // Everything the screen shows is computed once, from the one scan, on
  // threads that only read it:
  // - the entries' fates (ClassifyEntries), on a second thread;
  // - the terminal and the tree's nodes, on this thread, meanwhile; the
  //   tree reads the fates from its first SelectLayer on;
  // - the package owners, which the first screen does not wait for: their
  //   thread starts once the first frame is drawn (PendingOwners), so on a
  //   small machine it does not compete with the two above, and the owner
  //   column fills in when they are ready. It first reads the package
  //   databases' bodies the scan only queued (|read_bodies|).
  // Every thread is joined on every way out, after the terminal is given back.
  PendingOwners owners(scan, rules, std::move(read_bodies));  // declared first: joined last
  struct Joiner {
    std::thread& t;
    ~Joiner() {
      if (t.joinable()) t.join();
    }
  };
  ImageFates fates;
  std::thread fate_thread([&] {
    ScopedMediumBuffersOnSlabs slabs;  // the first screen waits on these tables: no fault per 4 KiB
    fates = ClassifyEntries(scan);
  });
  Joiner join_fates{fate_thread};
  g_signal = 0;
  Terminal term;  // opened meanwhile too
  RETURN_IF_ERROR(term.Open());
  LayerTree tree(scan, fates, LayerTree::NodesOnly{});
  fate_thread.join();
  tree.SelectLayer(scan.layers.size() - 1);
  std::vector<ExploreLayer> layers = ExploreLayers(scan, fates, LayerLabels(image));
  ExploreApp app(options, std::move(layers), &owners, &tree);
  return app.Loop(term);
}

}  // namespace whittle
