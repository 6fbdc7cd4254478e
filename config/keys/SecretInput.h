#pragma once
// Reading a secret line (passphrase, api key, secret) from a descriptor into locked memory,
// with echo off on a terminal. For the `keys` tool; start-up only.
#include "common/SecureBuffer.h"

namespace hft::config::keys {

/// Writes `prompt` (when non-null) to `promptFd`, then reads one line from `fd` into `out`
/// (whose capacity bounds the line), one byte per read(2) so that no stdio buffer keeps a
/// copy. The '\n' and a trailing '\r' are dropped. When `fd` is a terminal its echo is off
/// while reading (restored even on error) and a newline is echoed to `promptFd` afterwards.
/// Returns false at end of input with nothing read. Throws std::runtime_error when the line
/// does not fit in `out` (the message gives the limit, never the content) or read() fails.
bool readSecretLine(int fd, common::SecureBuffer& out, int promptFd = -1, const char* prompt = nullptr);

}  // namespace hft::config::keys
