import ArgumentParser
import ClearanceCLI

/// Runs an async command; the generic constraint picks the async `main`, not ParsableCommand's.
func start<Command: AsyncParsableCommand>(_: Command.Type) async {
    await Command.main()
}

await start(ClearanceCommand.self)
