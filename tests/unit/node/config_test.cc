#include "node/config.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace warren::node {
namespace {

namespace fs = std::filesystem;

// Writes `text` to a fresh file named `name` and returns its path.
std::string WriteConfig(const std::string& name, const std::string& text) {
  fs::path dir = fs::temp_directory_path() / ("warren-config-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

}  // namespace

TEST_CASE("config: byte sizes take RabbitMQ's units and refuse overflow", "[node]") {
  CHECK(*ParseByteSize("1000000") == 1000000);
  CHECK(*ParseByteSize("50MB") == 50'000'000);
  CHECK(*ParseByteSize("1mb") == 1'000'000);
  CHECK(*ParseByteSize("2GiB") == (uint64_t(2) << 30));
  CHECK(*ParseByteSize("100000GB") == uint64_t(100000) * 1000 * 1000 * 1000);
  CHECK(*ParseByteSize("3TB") == uint64_t(3) * 1000 * 1000 * 1000 * 1000);
  CHECK(*ParseByteSize(" 7 KB ") == 7000);
  for (const char* bad : {"", "MB", "lots", "5 furlongs", "-1", "99999999999999999999",
                          "99999999999999999GB", "20000000TiB"}) {
    INFO(bad);
    CHECK(!ParseByteSize(bad).ok());
  }
}

TEST_CASE("config: alarm thresholds come from the file", "[node]") {
  SECTION("absolute memory watermark and disk limit, YAML") {
    auto cfg = LoadConfig(WriteConfig("a.yaml",
                                      "vm_memory_high_watermark:\n  absolute: 1MB\n"
                                      "disk_free_limit:\n  absolute: 100000GB\n"),
                          5672, "");
    REQUIRE(cfg.ok());
    CHECK(cfg->memory_high_watermark_absolute == 1'000'000);
    CHECK(cfg->disk_free_limit == uint64_t(100000) * 1000 * 1000 * 1000);
  }
  SECTION("relative settings, rabbitmq.conf") {
    auto cfg = LoadConfig(WriteConfig("r.conf",
                                      "vm_memory_high_watermark.relative = 0.6\n"
                                      "disk_free_limit.relative = 1.5\n"),
                          5672, "");
    REQUIRE(cfg.ok());
    CHECK(cfg->memory_high_watermark == Approx(0.6));
    CHECK(cfg->disk_free_limit_relative == Approx(1.5));
  }
  SECTION("a misspelt threshold is refused, not ignored") {
    auto cfg = LoadConfig(WriteConfig("t.conf", "vm_memory_high_watermark.absolut = 1MB\n"), 5672, "");
    REQUIRE(!cfg.ok());
    CHECK(cfg.status().message().find("unknown setting 'vm_memory_high_watermark.absolut'") !=
          std::string::npos);
  }
  SECTION("a bad size names the setting") {
    auto cfg = LoadConfig(WriteConfig("b.conf", "disk_free_limit.absolute = lots\n"), 5672, "");
    REQUIRE(!cfg.ok());
    CHECK(cfg.status().message().find("setting disk_free_limit.absolute") != std::string::npos);
  }
}

TEST_CASE("config: effective settings add the defaults and mask the password", "[node]") {
  SECTION("no file") {
    auto cfg = LoadConfig("", 5999, "");
    REQUIRE(cfg.ok());
    nlohmann::json s = EffectiveSettings(*cfg);
    CHECK(s["listeners.tcp.default"] == "5999");
    CHECK(s["default_user"] == "guest");
    CHECK(s["default_pass"] == "********");
    CHECK(s["loopback_users.guest"] == "true");
    CHECK(s["vm_memory_high_watermark.relative"] == "0.4");
    CHECK(s["disk_free_limit.absolute"] == "50000000");
    CHECK(s["log.file.level"] == "info");
    CHECK(s["net_ticktime"] == "60");
    CHECK(s.size() == 8);
  }
  SECTION("settings from a file are kept as written") {
    auto cfg = LoadConfig(WriteConfig("e.conf",
                                      "listeners.tcp.local = 127.0.0.1:5700\n"
                                      "default_pass = secret\n"
                                      "disk_free_limit.relative = 2.0\n"
                                      "management.tcp.port = 15672\n"),
                          5672, "");
    REQUIRE(cfg.ok());
    nlohmann::json s = EffectiveSettings(*cfg);
    CHECK(s["listeners.tcp.local"] == "127.0.0.1:5700");
    CHECK(!s.contains("listeners.tcp.default"));
    CHECK(s["default_pass"] == "********");
    CHECK(s["disk_free_limit.relative"] == "2.0");
    CHECK(!s.contains("disk_free_limit.absolute"));
    CHECK(s["management.tcp.port"] == "15672");
  }
  SECTION("an IPv6 listener from the environment is bracketed") {
    auto cfg = LoadConfig("", 5672, "::1");
    REQUIRE(cfg.ok());
    CHECK(EffectiveSettings(*cfg)["listeners.tcp.default"] == "[::1]:5672");
  }
}

}  // namespace warren::node

namespace warren::node {

TEST_CASE("config: AMQP connection settings are read and checked", "[node]") {
  SECTION("defaults are RabbitMQ's") {
    auto cfg = LoadConfig("", 5672, "");
    REQUIRE(cfg.ok());
    CHECK(cfg->heartbeat == 60);
    CHECK(cfg->frame_max == 131072);
    CHECK(cfg->channel_max == 2047);
    CHECK(cfg->max_message_size == 134217728);
    CHECK(cfg->handshake_timeout == 10000);
  }
  SECTION("values from the file") {
    auto cfg = LoadConfig(WriteConfig("amqp.conf", "heartbeat = 5\nframe_max = 8192\n"
                                                   "channel_max = 16\nhandshake_timeout = 500\n"
                                                   "cluster_name = east\n"),
                          5672, "");
    REQUIRE(cfg.ok());
    CHECK(cfg->heartbeat == 5);
    CHECK(cfg->frame_max == 8192);
    CHECK(cfg->channel_max == 16);
    CHECK(cfg->handshake_timeout == 500);
    CHECK(cfg->cluster_name == "east");
  }
  SECTION("a value that is not a number in range stops the boot, naming the setting") {
    auto bad = LoadConfig(WriteConfig("bad.conf", "heartbeat = often\n"), 5672, "");
    REQUIRE(!bad.ok());
    CHECK(bad.status().message() ==
          "setting heartbeat: expected a whole number from 0 to 65535, got 'often'");
    auto small = LoadConfig(WriteConfig("small.conf", "frame_max = 1024\n"), 5672, "");
    REQUIRE(!small.ok());
    CHECK(small.status().message().find("setting frame_max: expected a whole number from 4096") == 0);
    auto paging = LoadConfig(WriteConfig("paging.conf", "warren.queue_page_above = 0\n"), 5672, "");
    REQUIRE(!paging.ok());
    CHECK(paging.status().message().find(
              "setting warren.queue_page_above: expected a whole number from 1") == 0);
    auto shards = LoadConfig(WriteConfig("shards.conf", "warren.shards = 0\n"), 5672, "");
    REQUIRE(!shards.ok());
    CHECK(shards.status().message() ==
          "setting warren.shards: expected a whole number from 1 to 256, got '0'");
  }
  SECTION("unset, the shard count is left to the node (one per usable core)") {
    auto defaults = LoadConfig("", 5672, "");
    REQUIRE(defaults.ok());
    CHECK(defaults->shards == 0);  // one per usable core
    auto four = LoadConfig(WriteConfig("four.conf", "warren.shards = 4\n"), 5672, "");
    REQUIRE(four.ok());
    CHECK(four->shards == 4);
  }
}

TEST_CASE("config: clustering settings are read and checked", "[node]") {
  auto defaults = LoadConfig("", 5672, "");
  REQUIRE(defaults.ok());
  CHECK(defaults->partition_handling == "pause_minority");
  CHECK(defaults->cluster_boot_wait == 2000);
  CHECK(defaults->net_ticktime == 60);
  auto cfg = LoadConfig(WriteConfig("cluster.conf", "cluster_partition_handling = autoheal\n"
                                                    "warren.cluster_boot_wait = 500\n"
                                                    "net_ticktime = 5\n"),
                        5672, "");
  REQUIRE(cfg.ok());
  CHECK(cfg->partition_handling == "autoheal");
  CHECK(cfg->cluster_boot_wait == 500);
  CHECK(cfg->net_ticktime == 5);
  // status reports the setting in effect, set or not.
  CHECK(EffectiveSettings(*cfg)["net_ticktime"] == "5");
  CHECK(EffectiveSettings(*defaults)["net_ticktime"] == "60");
  auto bad = LoadConfig(WriteConfig("badcluster.conf", "cluster_partition_handling = often\n"),
                        5672, "");
  REQUIRE(!bad.ok());
  CHECK(bad.status().message() ==
        "setting cluster_partition_handling: expected pause_minority, autoheal or ignore, got "
        "'often'");
}

}  // namespace warren::node
