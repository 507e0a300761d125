#include "scan/history_labels.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

TEST(CleanCreatedBy, Table) {
  const std::string h(64, 'a');
  struct Case { std::string in; std::string want; };
  const Case kCases[] = {
      {"/bin/sh -c #(nop)  CMD [\"sh\"]", "CMD [\"sh\"]"},
      {"/bin/sh -c apt-get update", "RUN apt-get update"},
      {"/bin/sh -c #(nop) ADD file:" + h + " in / ", "ADD file:\xE2\x80\xA6 in /"},
      {"/bin/sh -c #(nop) COPY dir:" + h + " in /app ", "COPY dir:\xE2\x80\xA6 in /app"},
      {"RUN /bin/sh -c apt-get install -y gcc # buildkit", "RUN apt-get install -y gcc"},
      {"RUN |2 A=1 B=two /bin/sh -c make # buildkit", "RUN make"},
      {"|1 V=3 /bin/sh -c echo $V", "RUN echo $V"},
      {"COPY . /app # buildkit", "COPY . /app"},
      {"/bin/sh -c set -e;\tapt-get update \\\n  && rm -rf /x", "RUN set -e; apt-get update \\ && rm -rf /x"},
      {"WORKDIR /app", "WORKDIR /app"},
      {"", ""},
      {"|x not args", "|x not args"},
      {"|3 A=1", "|3 A=1"},  // truncated prefix left alone
      {"COPY sha256:" + h + " /x", "COPY sha256:" + h + " /x"},  // not a content ref
  };
  for (const auto& c : kCases) EXPECT_EQ(CleanCreatedBy(c.in), c.want) << c.in;
}

Image MakeImage(int layers, std::vector<std::pair<std::string, bool>> history) {
  Image img;
  img.layers.resize(static_cast<size_t>(layers));
  for (auto& [cb, empty] : history) {
    HistoryEntry h;
    h.created_by = cb;
    h.empty_layer = empty;
    img.history.push_back(h);
  }
  return img;
}

TEST(LayerLabels, MatchesNonEmptyHistory) {
  Image img = MakeImage(2, {{"/bin/sh -c #(nop) ADD file:x in /", false},
                            {"/bin/sh -c #(nop)  ENV A=1", true},
                            {"/bin/sh -c make", false}});
  auto labels = LayerLabels(img);
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(labels[0], "#1 ADD file:x in /");
  EXPECT_EQ(labels[1], "#2 RUN make");
  EXPECT_EQ(MatchHistoryToLayers(img), (std::vector<int>{0, 2}));
}

TEST(LayerLabels, MismatchFallsBack) {
  Image img = MakeImage(2, {{"/bin/sh -c make", false}});
  auto labels = LayerLabels(img);
  EXPECT_EQ(labels, (std::vector<std::string>{"[layer 1]", "[layer 2]"}));
  Image none = MakeImage(1, {});
  EXPECT_EQ(LayerLabels(none), std::vector<std::string>{"[layer 1]"});
}

}  // namespace
}  // namespace whittle
