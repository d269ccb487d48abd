// The libFuzzer entry point for the provenance parsers. `scripts/fuzz` compiles it together with
// the ClearanceProvenance sources, with `-sanitize=fuzzer,address`, outside SwiftPM so that only
// the parsers are instrumented.

/// Scans one input as a file, and the same bytes as a sidecar manifest store, so both the
/// container walkers and the JUMBF/CBOR reader see every input.
@_cdecl("LLVMFuzzerTestOneInput")
public func provenanceFuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var limits = ScanLimits()
    limits.payloadBytes = 4 << 20
    limits.inflatedBytes = 4 << 20
    let scanner = ProvenanceScanner(limits: limits)
    _ = scanner.scan(path: "fuzz", source: MemoryByteSource(bytes))
    _ = scanner.scan(path: "fuzz", source: MemoryByteSource([0xFF, 0xD8, 0xFF, 0xD9]), sidecar: MemoryByteSource(bytes))
    return 0
}
