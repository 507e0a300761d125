// The terminal UI of `whittle explore`: an ncurses view and controller over
// the pure model (explore/layer_tree.h, tree_view.h, screen_text.h). It owns
// the terminal from initialisation to exit and gives it back in every case:
// a normal quit, an error, SIGINT/SIGTERM/SIGHUP (the handlers only set a
// flag the key loop polls, then endwin runs and explore exits 128 + n, as a
// shell reports a command the signal ended), and a resize (KEY_RESIZE
// re-lays out). Ctrl-C is a key in raw mode; it quits like SIGINT (130).
#ifndef WHITTLE_EXPLORE_EXPLORE_UI_H_
#define WHITTLE_EXPLORE_EXPLORE_UI_H_

#include <functional>
#include <string>

#include "image/image.h"
#include "scan/body_capture.h"
#include "scan/layer_scan.h"
#include "util/status.h"

namespace whittle {

struct ExploreOptions {
  std::string image_ref;       // the IMAGE as typed, for the title
  bool changes_only = false;   // --changes: start with only the layer's changes
};

/// Runs the UI on the process's terminal (stdin/stdout) until the user
/// quits with q (kOk) or Ctrl-C (kInterrupted), or SIGINT, SIGTERM or
/// SIGHUP arrives (ExitForSignal: 128 + the signal's number). |rules| are the capture
/// rules the scan ran with (package databases, for the owner column).
/// |read_bodies|, when given, runs on the owners' thread after the first
/// frame, before the owners are resolved: it reads the bodies the scan
/// deferred (PendingOwners). Every thread is joined before this returns.
/// Fails with kUsage when stdout or stdin is not a terminal, or the
/// terminal cannot be initialised (TERM unknown).
Result<ExitCode> RunExplore(const ExploreOptions& options, const Image& image, const ImageScan& scan,
                            const CaptureRules& rules, std::function<void()> read_bodies = {});

}  // namespace whittle

#endif  // WHITTLE_EXPLORE_EXPLORE_UI_H_
