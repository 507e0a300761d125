#include "explain/package_graph.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace whittle::explain {
namespace {

using Groups = std::vector<std::vector<std::string>>;

TEST(ParseDependsField, GroupsAlternativesAndDropsConstraints) {
  EXPECT_EQ(ParseDependsField("libc6 (>= 2.34), libgcc-s1 | libgcc1, python3:any"),
            (Groups{{"libc6"}, {"libgcc-s1", "libgcc1"}, {"python3"}}));
  EXPECT_EQ(ParseDependsField(""), Groups{});
  EXPECT_EQ(ParseDependsField("  a ,b(<<1)|  c [amd64] <!nocheck> ,"), (Groups{{"a"}, {"b", "c"}}));
  // Continuation lines from dpkg's status keep their newlines.
  EXPECT_EQ(ParseDependsField("a,\n b (= 1:2.0-1)"), (Groups{{"a"}, {"b"}}));
}

InstalledPackage Pkg(const std::string& name, bool auto_installed, const std::string& depends = "",
                     const std::string& recommends = "") {
  InstalledPackage p;
  p.label = "deb:" + name;
  p.name = name;
  p.auto_installed = auto_installed;
  p.depends = depends;
  p.recommends = recommends;
  return p;
}

// vim (manual) -> vim-common (auto) and vim-runtime (auto); xxd (auto) is
// recommended by vim-common and also needed by a manual hexedit; libc6 is
// required by everything and essential-like (priority required).
struct Graph {
  std::vector<InstalledPackage> pkgs;
  Graph() {
    pkgs = {Pkg("vim", false, "vim-common (= 2:9.0), vim-runtime, libc6"),
            Pkg("vim-common", true, "libc6", "xxd"),
            Pkg("vim-runtime", true),
            Pkg("xxd", true, "libc6"),
            Pkg("hexedit", false, "xxd | bvi, libc6"),
            Pkg("libc6", true),
            Pkg("strace", false, "libc6, libunwind8"),
            Pkg("libunwind8", true)};
    pkgs[5].priority = "required";
  }
};

TEST(PackageGraph, DepsAndClosure) {
  Graph g;
  PackageGraph graph(g.pkgs);
  EXPECT_TRUE(graph.Has("vim"));
  EXPECT_FALSE(graph.Has("bvi"));
  EXPECT_EQ(graph.DepsOf("vim", false), (std::vector<std::string>{"vim-common", "vim-runtime", "libc6"}));
  // Only the installed alternative counts.
  EXPECT_EQ(graph.DepsOf("hexedit", false), (std::vector<std::string>{"xxd", "libc6"}));
  EXPECT_EQ(graph.DepsOf("vim-common", true), (std::vector<std::string>{"libc6", "xxd"}));
  EXPECT_EQ(graph.Closure({"vim"}, false), (std::set<std::string>{"vim", "vim-common", "vim-runtime", "libc6"}));
  EXPECT_EQ(graph.Closure({"vim"}, true),
            (std::set<std::string>{"vim", "vim-common", "vim-runtime", "libc6", "xxd"}));
  EXPECT_TRUE(graph.knows_auto());
}

TEST(PackageGraph, OrphanedByKeepsWhatOthersNeed) {
  Graph g;
  PackageGraph graph(g.pkgs);
  // vim's own auto-installed dependencies go; libc6 (required, and needed
  // by hexedit) and xxd (hexedit needs it) stay.
  EXPECT_EQ(graph.OrphanedBy({"vim"}), (std::set<std::string>{"vim-common", "vim-runtime"}));
  EXPECT_EQ(graph.OrphanedBy({"strace"}), (std::set<std::string>{"libunwind8"}));
  // With hexedit gone too, xxd has no one left (vim-common only recommends
  // it and goes as well).
  EXPECT_EQ(graph.OrphanedBy({"vim", "hexedit"}), (std::set<std::string>{"vim-common", "vim-runtime", "xxd"}));
  EXPECT_EQ(graph.OrphanedBy({}), std::set<std::string>{});
}

TEST(PackageGraph, WithoutExtendedStatesNothingIsAuto) {
  std::vector<InstalledPackage> pkgs = {Pkg("vim", false, "vim-common"), Pkg("vim-common", false)};
  PackageGraph graph(pkgs);
  EXPECT_FALSE(graph.knows_auto());
  EXPECT_EQ(graph.OrphanedBy({"vim"}), std::set<std::string>{});
}

}  // namespace
}  // namespace whittle::explain
