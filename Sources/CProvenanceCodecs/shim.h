// The two decompressors the provenance scanner needs: Brotli for compressed C2PA manifests
// (`c2cm`/`brob`) and zlib for PNG `zTXt`/`iTXt` text. Both come from Debian's -dev packages.
// The encoders are here for the tests, which build compressed fixtures.
#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>
