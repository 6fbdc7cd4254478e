#pragma once
// Starts real binaries from build/bin for integration tests: fork + exec with stdout/stderr
// captured to a file, bounded waits, and SIGKILL of anything left on destruction.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <csignal>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace hft::test {

class Process {
 public:
  Process(const std::string& binary, const std::vector<std::string>& args, const std::string& outFile)
      : out_(outFile) {
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = ::open(outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(fd, 1);
      dup2(fd, 2);
      std::vector<char*> argv{const_cast<char*>(binary.c_str())};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
  }
  ~Process() {
    if (pid_ > 0 && !done_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// Exit code, 128+signal if killed, -1 on timeout (then the process is killed).
  int wait(int timeoutMs = 30000) {
    for (int i = 0; i < timeoutMs / 5; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        done_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      usleep(5000);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    done_ = true;
    return -1;
  }
  void signal(int sig) { kill(pid_, sig); }
  pid_t pid() const { return pid_; }
  std::string output() const {
    std::ifstream f(out_);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }

 private:
  pid_t pid_ = -1;
  bool done_ = false;
  std::string out_;
};

/// Waits until `text` shows up in the process's output (or `timeoutMs` passes).
inline bool waitForOutput(const Process& p, const std::string& text, int timeoutMs = 10000) {
  for (int i = 0; i < timeoutMs / 10; ++i) {
    if (p.output().find(text) != std::string::npos) return true;
    usleep(10000);
  }
  return false;
}

/// The port `exchange_simulator --port 0` prints ("exchange_simulator: listening on
/// 127.0.0.1:PORT"), once it does; 0 when it did not within `timeoutMs`.
inline uint16_t listeningPort(const Process& simulator, int timeoutMs = 10000) {
  const std::string marker = "listening on 127.0.0.1:";
  if (!waitForOutput(simulator, marker, timeoutMs)) return 0;
  const std::string o = simulator.output();
  return static_cast<uint16_t>(std::stoi(o.substr(o.find(marker) + marker.size())));
}

inline std::string bin(const std::string& name) { return std::string(HFT_BIN_DIR) + "/" + name; }
inline std::string sourceFile(const std::string& rel) { return std::string(HFT_SOURCE_DIR) + "/" + rel; }

}  // namespace hft::test
