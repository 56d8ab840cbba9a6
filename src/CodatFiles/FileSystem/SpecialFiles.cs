using System;
using System.Runtime.InteropServices;
using System.Text;

namespace CodatFiles.FileSystem
{
    /// <summary>
    /// Tells FIFOs, devices and sockets from regular files without opening them (opening a FIFO blocks until a
    /// writer appears, whatever the timeout). .NET reports them as ordinary files, so on Unix this asks the file's
    /// type through the runtime's own native shim (libSystem.Native's SystemNative_Stat, whose FileStatus keeps
    /// the mode at offset 4 with the POSIX type bits). Windows file system paths have no such files.
    /// </summary>
    internal static class SpecialFiles
    {
        private const int TypeMask = 0xF000;

        /// <summary>
        /// "a FIFO", "a character device", "a block device" or "a socket" for such a path (links followed); null for
        /// a regular file, a path that cannot be examined, or on Windows.
        /// </summary>
        public static string? KindOf(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return null;
            try
            {
                // FileStatus is under 200 bytes in every runtime version; the rest is slack.
                var status = new byte[512];
                if (Stat(NullTerminatedUtf8(path), status) != 0) return null;
                switch (BitConverter.ToInt32(status, 4) & TypeMask)
                {
                    case 0x1000: return "a FIFO";
                    case 0x2000: return "a character device";
                    case 0x6000: return "a block device";
                    case 0xC000: return "a socket";
                    default: return null;
                }
            }
            catch (Exception exception) when (exception is DllNotFoundException || exception is EntryPointNotFoundException || exception is BadImageFormatException)
            {
                // A runtime without the shim (e.g. Mono): such files are not recognised, as before.
                return null;
            }
        }

        private static byte[] NullTerminatedUtf8(string path)
        {
            var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
            Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
            return bytes;
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
        private static extern int Stat(byte[] path, byte[] status);
    }
}
