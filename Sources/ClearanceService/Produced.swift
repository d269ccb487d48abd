/// A stream whose elements an async body yields as it works out each one: the body runs in a
/// task that ends the stream when it returns or throws, and is cancelled when the reader stops.
/// What lets a long report or export be written out a page at a time.
public func produced<Element: Sendable>(
    _ body: @escaping @Sendable (_ yield: @Sendable (Element) -> Void) async throws -> Void
) -> AsyncThrowingStream<Element, any Error> {
    AsyncThrowingStream { continuation in
        let task = Task {
            do {
                try await body { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
    }
}
