import CProvenanceCodecs

/// The two decompressors, each with a ceiling on what it will produce, so a small hostile
/// input cannot inflate into gigabytes.
enum Inflate {
    /// The output buffer for one decompression: four times the input, between 4 and 64 KB, so a
    /// small text chunk does not pay for a large buffer.
    private static func chunkSize(for input: [UInt8]) -> Int {
        min(64 * 1024, max(4096, input.count * 4))
    }

    static func brotli(_ input: [UInt8], limit: Int) throws(ScanFailure) -> [UInt8] {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else {
            throw ScanFailure("could not start the Brotli decoder")
        }
        defer { BrotliDecoderDestroyInstance(state) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize(for: input))
        var result = BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT
        input.withUnsafeBufferPointer { source in
            var availableIn = source.count
            var nextIn = source.baseAddress
            while true {
                var availableOut = chunk.count
                let produced: Int = chunk.withUnsafeMutableBufferPointer { buffer in
                    var nextOut = buffer.baseAddress
                    result = BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                    return buffer.count - availableOut
                }
                output.append(contentsOf: chunk[0 ..< produced])
                if output.count > limit { return }
                if result != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT { return }
            }
        }
        guard output.count <= limit else { throw ScanFailure("compressed data inflates past \(limit) bytes") }
        guard result == BROTLI_DECODER_RESULT_SUCCESS else { throw ScanFailure("the Brotli data is corrupt or cut short") }
        return output
    }

    /// zlib-wrapped deflate, as PNG `zTXt` and compressed `iTXt` use. With `keepingPrefix`, output
    /// past `limit` is dropped without error: enough of a generator's text to recognise it.
    static func zlib(_ input: [UInt8], limit: Int, keepingPrefix: Bool = false) throws(ScanFailure) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ScanFailure("could not start the zlib decoder")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize(for: input))
        var status = Z_OK
        var input = input
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while status == Z_OK {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return buffer.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0 ..< produced])
                if output.count > limit { return }
                if produced == 0 && status == Z_OK && stream.avail_in == 0 { status = Z_BUF_ERROR }
            }
        }
        if keepingPrefix, output.count > limit { return Array(output.prefix(limit)) }
        guard output.count <= limit else { throw ScanFailure("compressed text inflates past \(limit) bytes") }
        guard status == Z_STREAM_END else { throw ScanFailure("the zlib data is corrupt or cut short") }
        return output
    }
}
