#include "explain/package_graph.h"

#include "util/strings.h"

namespace whittle::explain {

std::vector<std::vector<std::string>> ParseDependsField(std::string_view field) {
  std::vector<std::vector<std::string>> out;
  for (std::string_view group : Split(field, ',')) {
    std::vector<std::string> alts;
    for (std::string_view alt : Split(group, '|')) {
      alt = TrimWhitespace(alt);
      size_t end = 0;
      while (end < alt.size() && alt[end] != ' ' && alt[end] != '(' && alt[end] != '[' && alt[end] != ':' &&
             alt[end] != '\t' && alt[end] != '\n') {
        ++end;
      }
      if (end > 0) alts.emplace_back(alt.substr(0, end));
    }
    if (!alts.empty()) out.push_back(std::move(alts));
  }
  return out;
}

PackageGraph::PackageGraph(const std::vector<InstalledPackage>& installed) : installed_(installed) {
  for (const InstalledPackage& p : installed) {
    by_name_.emplace(p.name, &p);
    if (p.auto_installed) knows_auto_ = true;
  }
  for (const InstalledPackage& p : installed) {
    for (const std::string& dep : DepsOf(p.name, true)) reverse_[dep].push_back(p.name);
  }
}

const InstalledPackage* PackageGraph::Get(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<std::string> PackageGraph::DepsOf(std::string_view name, bool recommends) const {
  std::vector<std::string> out;
  const InstalledPackage* p = Get(name);
  if (p == nullptr) return out;
  std::vector<const std::string*> fields = {&p->depends, &p->pre_depends};
  if (recommends) fields.push_back(&p->recommends);
  for (const std::string* f : fields) {
    for (const auto& group : ParseDependsField(*f)) {
      for (const std::string& alt : group) {
        if (Has(alt)) out.push_back(alt);
      }
    }
  }
  return out;
}

std::set<std::string> PackageGraph::Closure(const std::vector<std::string>& roots, bool recommends) const {
  std::set<std::string> seen;
  std::vector<std::string> todo;
  for (const std::string& r : roots) {
    if (Has(r) && seen.insert(r).second) todo.push_back(r);
  }
  while (!todo.empty()) {
    std::string n = std::move(todo.back());
    todo.pop_back();
    for (std::string& d : DepsOf(n, recommends)) {
      if (seen.insert(d).second) todo.push_back(std::move(d));
    }
  }
  return seen;
}

std::set<std::string> PackageGraph::OrphanedBy(const std::set<std::string>& removed) const {
  std::set<std::string> gone = removed;
  std::set<std::string> out;
  bool grew = true;
  while (grew) {
    grew = false;
    for (const std::string& r : std::set<std::string>(gone)) {
      for (const std::string& dep : DepsOf(r, true)) {
        if (gone.count(dep)) continue;
        const InstalledPackage* p = Get(dep);
        if (p == nullptr || !p->auto_installed || p->essential || p->priority == "required" ||
            p->priority == "important") {
          continue;
        }
        bool needed = false;
        auto it = reverse_.find(dep);
        if (it != reverse_.end()) {
          for (const std::string& user : it->second) {
            if (!gone.count(user)) needed = true;
          }
        }
        if (!needed) {
          gone.insert(dep);
          out.insert(dep);
          grew = true;
        }
      }
    }
  }
  return out;
}

}  // namespace whittle::explain
