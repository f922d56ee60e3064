// warren_test_no_entry: a shared object that is not a warren plugin.
extern "C" __attribute__((visibility("default"))) int warren_test_not_a_plugin() { return 42; }
