import CProvenanceCodecs

/// Compressors for building fixtures (the scanner itself only inflates).
enum Compress {
    static func brotli(_ input: [UInt8]) -> [UInt8] {
        var size = BrotliEncoderMaxCompressedSize(input.count) + 64
        var output = [UInt8](repeating: 0, count: size)
        let ok = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                BrotliEncoderCompress(5, 22, BROTLI_MODE_GENERIC, source.count, source.baseAddress, &size, target.baseAddress)
            }
        }
        precondition(ok == 1, "brotli failed")
        return Array(output.prefix(size))
    }

    static func zlib(_ input: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(size))
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                compress2(target.baseAddress, &size, source.baseAddress, uLong(source.count), 6)
            }
        }
        precondition(status == Z_OK, "zlib failed")
        return Array(output.prefix(Int(size)))
    }
}
