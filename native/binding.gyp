{
  "targets": [
    {
      "target_name": "ledgerhound",
      "sources": ["ledgerhound.c"],
      "cflags": ["-O3", "-Wall", "-Wextra"],
      "cflags_c": ["-std=c11"]
    }
  ]
}
