namespace KrakenGrpc.Tests.Support;

/// <summary>Where the repository and the shared reference folder beside it are, seen from the test assembly.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "KrakenGrpc.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException("KrakenGrpc.sln not found above the test assembly.");
    });

    /// <summary>The folder holding KrakenGrpc.sln.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>A file of the repository, by its path from the root.</summary>
    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>The Kraken reference beside the repository (<c>../shared/kraken</c>).</summary>
    public static string SharedKraken(string relativePath) => Path.GetFullPath(Path.Combine(Root, "..", "shared", "kraken", relativePath));
}
