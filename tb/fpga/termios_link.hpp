// The bridge's byte link over a serial port (Linux termios): raw 8N1 at the given baud rate, no
// flow control. receive() waits up to timeout_ms for each call's bytes.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "pnm/uart_bridge.hpp"

namespace pnm::tb {

class TermiosLink : public fw::uart::Link {
 public:
  int timeout_ms = 2000;

  // "" on success, else why the port could not be used.
  std::string open(const std::string& path, unsigned baud) {
    fd_ = ::open(path.c_str(), O_RDWR | O_NOCTTY);
    if (fd_ < 0) return path + ": " + std::strerror(errno);
    termios t{};
    if (tcgetattr(fd_, &t) != 0) return path + ": not a terminal (" + std::strerror(errno) + ")";
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    const speed_t s = speed(baud);
    if (s == B0) return "baud: " + std::to_string(baud) + " is not a standard rate";
    cfsetispeed(&t, s);
    cfsetospeed(&t, s);
    if (tcsetattr(fd_, TCSANOW, &t) != 0) return path + ": " + std::strerror(errno);
    tcflush(fd_, TCIOFLUSH);
    return "";
  }
  ~TermiosLink() override {
    if (fd_ >= 0) ::close(fd_);
  }

  bool send(const uint8_t* bytes, size_t n) override {
    while (n > 0) {
      const ssize_t w = ::write(fd_, bytes, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      bytes += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }
  bool receive(uint8_t* bytes, size_t n) override {
    while (n > 0) {
      pollfd p{fd_, POLLIN, 0};
      const int r = ::poll(&p, 1, timeout_ms);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      const ssize_t got = ::read(fd_, bytes, n);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      bytes += got;
      n -= static_cast<size_t>(got);
    }
    return true;
  }
  // The driver's polling pause: at least a millisecond on a real port.
  void idle(uint32_t cycles) override {
    std::this_thread::sleep_for(std::chrono::microseconds(1000 + cycles / 100));
  }

 private:
  static speed_t speed(unsigned baud) {
    switch (baud) {
      case 9600: return B9600;
      case 19200: return B19200;
      case 38400: return B38400;
      case 57600: return B57600;
      case 115200: return B115200;
      case 230400: return B230400;
      case 460800: return B460800;
      case 921600: return B921600;
      case 1000000: return B1000000;
      case 2000000: return B2000000;
      case 3000000: return B3000000;
      default: return B0;
    }
  }
  int fd_ = -1;
};

}  // namespace pnm::tb
