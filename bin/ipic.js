#!/usr/bin/env -S node --max-semi-space-size=16
// The `ipic` command. Node 24 runs the TypeScript sources directly.
// A 16 MB young generation keeps long imports and downloads flat in memory
// (Node would otherwise grow it to 128 MB under their steady allocation);
// package.json's scripts and the benchmarks start Node the same way.
import '../src/cli.ts'
