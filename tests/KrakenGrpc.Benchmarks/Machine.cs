using System.Runtime.InteropServices;

namespace KrakenGrpc.Benchmarks;

/// <summary>What the figures were measured on.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var memory = TotalMemoryMb();
        return $"{Environment.ProcessorCount} cores{(memory is { } mb ? $", {mb / 1024.0:0.#} GB RAM" : string.Empty)}, " +
            $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}), {RuntimeInformation.FrameworkDescription}, " +
            $"{CpuModel() ?? "unknown CPU"}";
    }

    private static string? CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!File.Exists(CpuInfo))
        {
            return null;
        }
        var line = File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    private static long? TotalMemoryMb() =>
        ProcStatus.ReadKb("/proc/meminfo", "MemTotal") is { } kb ? kb / 1024 : null;
}

/// <summary>Reads the kB figures of Linux's /proc status files (VmRSS, VmHWM, MemTotal).</summary>
internal static class ProcStatus
{
    /// <summary>The value of <paramref name="field"/> in kB, or null when the file or the field is not there.</summary>
    public static long? ReadKb(string path, string field)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(field, StringComparison.Ordinal) && line.Length > field.Length && line[field.Length] == ':')
                {
                    var value = line[(field.Length + 1)..].Trim();
                    var end = value.IndexOf(' ', StringComparison.Ordinal);
                    return long.Parse(end < 0 ? value : value[..end], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process has exited: no figure.
        }
        return null;
    }

    /// <summary>CPU time (user + system) a process has used, from /proc/&lt;pid&gt;/stat; null when unavailable.</summary>
    public static TimeSpan? CpuTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) +
                long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);

            // USER_HZ is 100 on every Linux this runs on.
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
