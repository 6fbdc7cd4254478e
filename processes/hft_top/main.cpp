// hft-top: an htop-like view of a running system: processes on the bus (alive, pid, core, lag,
// lost, rates), market-data and report rates, feed and order latency percentiles, per-strategy
// orders, open orders, positions and PnL, recent rejects. Keys: q quit, s sort, f filter,
// k engage the kill switch (after a y/n confirmation), c clear it.
//
// The kill switch is the order executor's kill file (kill_switch_file of the order rules):
// engaging creates it, clearing removes it; the executor polls it and cancels everything.
#include <ncurses.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/Clock.h"
#include "common/CommandLine.h"
#include "common/Shutdown.h"
#include "config/InstrumentRegistry.h"
#include "config/SystemConfig.h"
#include "managers/RiskLimits.h"
#include "processes/hft_top/TopModel.h"

using namespace hft;

namespace {

enum class SortKey { Slot, Name, Lag, Lost, Rate };
const char* toString(SortKey k) {
  switch (k) {
    case SortKey::Slot: return "slot";
    case SortKey::Name: return "name";
    case SortKey::Lag: return "lag";
    case SortKey::Lost: return "lost";
    case SortKey::Rate: return "rate";
  }
  return "?";
}

struct ViewState {
  SortKey sort = SortKey::Slot;
  std::string filter;
  std::string killFile;
  std::string message;
};

std::string fmt(const char* f, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

bool killEngaged(const ViewState& v) { return !v.killFile.empty() && std::filesystem::exists(v.killFile); }

/// The whole screen as text lines (the terminal and --once print the same thing).
std::vector<std::string> render(const tools::TopModel& m, const ViewState& v, const std::string& bus) {
  std::vector<std::string> out;
  const auto& fl = m.feedLatency();
  const auto& ol = m.orderLatency();
  out.push_back(fmt("hft-top  bus %s   market data %.0f events/s   reports %.0f/s   kill switch: %s", bus.c_str(),
                    m.marketEventsPerSecond(), m.reportsPerSecond(),
                    v.killFile.empty() ? "no kill file configured" : killEngaged(v) ? "ENGAGED" : "off"));
  out.push_back(fmt("feed latency (receive->bus) p50 %.1f us  p99 %.1f us  p99.9 %.1f us   order round trip p50 %.1f us  p99 %.1f us  (n=%llu)",
                    static_cast<double>(fl.percentile(0.5)) / 1e3, static_cast<double>(fl.percentile(0.99)) / 1e3,
                    static_cast<double>(fl.percentile(0.999)) / 1e3, static_cast<double>(ol.percentile(0.5)) / 1e3,
                    static_cast<double>(ol.percentile(0.99)) / 1e3, static_cast<unsigned long long>(ol.count())));
  if (!m.busFound()) out.push_back("(no process registry on this bus yet: is a daemon running? HFT_BUS_NAME / --system)");
  out.push_back("");
  out.push_back(fmt("PROCESSES  sort: %s%s%s", toString(v.sort), v.filter.empty() ? "" : "  filter: ", v.filter.c_str()));
  out.push_back(fmt("%-4s %-8s %-5s %-15s %-34s %4s %10s %10s %12s %11s %7s", "slot", "pid", "alive", "role", "name", "core",
                    "lag", "lost", "processed", "rate/s", "hb_age"));
  std::vector<tools::ProcessRow> rows;
  for (const auto& p : m.processes())
    if (v.filter.empty() || p.name.find(v.filter) != std::string::npos || p.role.find(v.filter) != std::string::npos)
      rows.push_back(p);
  std::stable_sort(rows.begin(), rows.end(), [&](const tools::ProcessRow& a, const tools::ProcessRow& b) {
    switch (v.sort) {
      case SortKey::Name: return a.name < b.name;
      case SortKey::Lag: return a.lag > b.lag;
      case SortKey::Lost: return a.lost > b.lost;
      case SortKey::Rate: return a.rate > b.rate;
      case SortKey::Slot: break;
    }
    return a.slot < b.slot;
  });
  for (const auto& p : rows)
    out.push_back(fmt("%-4u %-8u %-5s %-15s %-34s %4d %10llu %10llu %12llu %11.0f %6.1fs", p.slot, p.pid,
                      p.alive ? "yes" : "DEAD", p.role.c_str(), p.name.c_str(), p.core,
                      static_cast<unsigned long long>(p.lag), static_cast<unsigned long long>(p.lost),
                      static_cast<unsigned long long>(p.processed), p.rate, p.heartbeatAge));
  out.push_back("");
  out.push_back(fmt("%-10s %10s %10s %10s %10s %10s", "STRATEGY", "orders", "open", "fills", "cancels", "rejects"));
  for (const auto& s : m.strategies())
    out.push_back(fmt("%-10u %10llu %10lld %10llu %10llu %10llu", s.id, static_cast<unsigned long long>(s.orders),
                      static_cast<long long>(s.openOrders), static_cast<unsigned long long>(s.fills),
                      static_cast<unsigned long long>(s.cancels), static_cast<unsigned long long>(s.rejects)));
  out.push_back("");
  out.push_back(fmt("%-10s %-14s %16s %18s %18s %16s", "POSITION", "instrument", "qty", "realized", "unrealized", "fees"));
  for (const auto& p : m.positions())
    out.push_back(fmt("%-10u %-14s %16s %18s %18s %16s", p.strategy, p.instrument.c_str(), p.qty.c_str(), p.realized.c_str(),
                      p.unrealized.c_str(), p.fees.c_str()));
  out.push_back("");
  out.push_back("RECENT REJECTS");
  for (const auto& r : m.recentRejects())
    out.push_back(fmt("  strategy %u  order %llu  %s", r.strategy, static_cast<unsigned long long>(r.id), r.reason.c_str()));
  out.push_back("");
  out.push_back(v.message.empty() ? "q quit  s sort  f filter  k kill switch  c clear kill switch" : v.message);
  return out;
}

/// One line of input at the bottom of the screen (filter text).
std::string prompt(const char* what) {
  echo();
  curs_set(1);
  nodelay(stdscr, FALSE);
  mvprintw(LINES - 1, 0, "%s", what);
  clrtoeol();
  char buf[128] = {};
  getnstr(buf, sizeof buf - 1);
  noecho();
  curs_set(0);
  nodelay(stdscr, TRUE);
  return buf;
}

int run(int argc, char** argv) {
  common::CommandLine cl("hft-top", "Terminal view of a running system (processes, rates, latency, positions, rejects).");
  cl.option("system", "system config", "config/system.json")
      .option("rules", "order rules naming the kill-switch file", "config/order_rules/default.json")
      .option("interval-ms", "refresh interval", "500")
      .flag("once", "print one snapshot (after one interval) as text and exit");
  if (!cl.parse(argc, argv)) return 0;
  const auto sys = config::SystemConfig::loadFile(cl.get("system"));
  const auto instruments = config::InstrumentRegistry::loadFile(sys.instruments_file);
  ViewState view;
  try {
    view.killFile = managers::RiskLimits::loadFile(cl.get("rules"), instruments).kill_switch_file;
  } catch (const std::exception& e) {
    view.message = std::string("order rules: ") + e.what();
  }
  const data_store::BusNames names{sys.bus.name};
  tools::TopModel model(names, instruments);
  const int64_t interval = std::max<int64_t>(50, cl.getInt("interval-ms")) * 1'000'000;

  if (cl.has("once")) {
    model.refresh(common::monoNowNs(), common::wallNowNs());
    usleep(static_cast<useconds_t>(interval / 1000));
    model.refresh(common::monoNowNs(), common::wallNowNs());
    for (const auto& line : render(model, view, sys.bus.name)) std::printf("%s\n", line.c_str());
    return 0;
  }

  common::installShutdownHandlers();
  initscr();
  cbreak();
  noecho();
  keypad(stdscr, TRUE);
  nodelay(stdscr, TRUE);
  curs_set(0);
  int64_t next = 0;
  bool confirmKill = false;
  while (!common::stopRequested()) {
    const int64_t now = common::monoNowNs();
    if (now >= next) {
      model.refresh(now, common::wallNowNs());
      next = now + interval;
      erase();
      const auto lines = render(model, view, sys.bus.name);
      for (int i = 0; i < static_cast<int>(lines.size()) && i < LINES; ++i) {
        const bool alarm = lines[static_cast<size_t>(i)].find("DEAD") != std::string::npos ||
                           lines[static_cast<size_t>(i)].find("ENGAGED") != std::string::npos;
        if (alarm) attron(A_REVERSE);
        mvaddnstr(i, 0, lines[static_cast<size_t>(i)].c_str(), COLS);
        if (alarm) attroff(A_REVERSE);
      }
      refresh();
    }
    const int ch = getch();
    if (ch == ERR) {
      usleep(20'000);
      continue;
    }
    if (confirmKill) {
      confirmKill = false;
      if (ch == 'y' || ch == 'Y') {
        std::ofstream(view.killFile) << "engaged by hft-top (pid " << getpid() << ")\n";
        view.message = killEngaged(view) ? "kill switch ENGAGED: " + view.killFile : "could not create " + view.killFile;
      } else {
        view.message = "kill switch not engaged";
      }
    } else if (ch == 'q' || ch == 'Q') {
      break;
    } else if (ch == 's') {
      view.sort = static_cast<SortKey>((static_cast<int>(view.sort) + 1) % 5);
    } else if (ch == 'f') {
      view.filter = prompt("filter (name or role, empty = all): ");
    } else if (ch == 'k') {
      if (view.killFile.empty()) {
        view.message = "no kill_switch_file in the order rules";
      } else {
        confirmKill = true;
        view.message = "engage the kill switch (cancel all orders, block new ones)? y/n";
      }
    } else if (ch == 'c') {
      std::error_code ec;
      if (!view.killFile.empty()) std::filesystem::remove(view.killFile, ec);
      view.message = killEngaged(view) ? "could not remove " + view.killFile : "kill switch cleared";
    }
    next = 0;  // redraw now
  }
  endwin();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    endwin();
    std::fprintf(stderr, "hft-top: error: %s\n", e.what());
    return 2;
  }
}
