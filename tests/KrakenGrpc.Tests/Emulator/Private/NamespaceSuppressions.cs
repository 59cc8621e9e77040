// The namespace mirrors the emulator's "private" (signed) half, as the test layout asks; "Private" is a keyword only
// in Visual Basic, and nothing outside this test assembly refers to the namespace.
[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Scope = "namespace",
    Target = "~N:KrakenGrpc.Tests.Emulator.Private",
    Justification = "Test namespace named after the emulator's private endpoints; never consumed from Visual Basic.")]
