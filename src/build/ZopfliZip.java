import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;

import com.googlecode.pngtastic.core.processing.zopfli.Options;
import com.googlecode.pngtastic.core.processing.zopfli.Zopfli;

/**
 * Rewrites a zip with every entry deflated by Zopfli (the native function.zip must stay under 20 MB).
 * Zopfli writes standard deflate streams, read by any unzip and by Lambda, smaller than zlib's (3% below Quarkus'
 * level 6 for cartola's executable, measured in docs/native.md), at the cost of compression time (a minute or two). Entry names,
 * times and Unix modes (bootstrap's 0755) are kept; the result is inflated again and checked against the input.
 *
 * Run by the native profile's antrun step: java ZopfliZip.java IN OUT ITERATIONS
 */
public class ZopfliZip {

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int iterations = Integer.parseInt(args[2]);
        if (iterations < 1) {
            throw new IllegalArgumentException("ZopfliZip: at least one iteration");
        }
        Options options = new Options(Options.OutputFormat.DEFLATE, Options.BlockSplitting.FIRST, iterations);
        // target/native does not exist yet in a fresh clone
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.deleteIfExists(out);
        try (ZipFile zip = ZipFile.builder().setPath(in).get();
                ZipArchiveOutputStream zout = new ZipArchiveOutputStream(out)) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                byte[] data;
                try (InputStream is = zip.getInputStream(entry)) {
                    data = is.readAllBytes();
                }
                ZipArchiveEntry copy = new ZipArchiveEntry(entry.getName());
                copy.setTime(entry.getTime());
                copy.setUnixMode(entry.getUnixMode());
                copy.setSize(data.length);
                copy.setCrc(crc(data));
                if (entry.isDirectory()) {
                    copy.setMethod(ZipEntry.STORED);
                    copy.setCompressedSize(0);
                    zout.addRawArchiveEntry(copy, InputStream.nullInputStream());
                    continue;
                }
                ByteArrayOutputStream deflated = new ByteArrayOutputStream(data.length / 2);
                new Zopfli(8 << 20).compress(options, data, deflated);
                copy.setMethod(ZipEntry.DEFLATED);
                copy.setCompressedSize(deflated.size());
                zout.addRawArchiveEntry(copy, new ByteArrayInputStream(deflated.toByteArray()));
                System.out.printf("ZopfliZip: %s %,d -> %,d bytes (input zip: %,d)%n", entry.getName(), data.length,
                        deflated.size(), entry.getCompressedSize());
            }
        }
        verify(in, out);
        System.out.printf("ZopfliZip: %s %,d bytes (was %,d)%n", out, Files.size(out), Files.size(in));
    }

    /** Every entry of OUT inflates to the bytes of the same entry of IN, with the same mode. */
    private static void verify(Path in, Path out) throws IOException {
        try (ZipFile original = ZipFile.builder().setPath(in).get(); ZipFile rewritten = ZipFile.builder().setPath(out).get()) {
            for (ZipArchiveEntry entry : Collections.list(original.getEntries())) {
                ZipArchiveEntry other = rewritten.getEntry(entry.getName());
                if (other == null || other.getUnixMode() != entry.getUnixMode()) {
                    throw new IOException("ZopfliZip: " + entry.getName() + " missing or mode changed in " + out);
                }
                byte[] a;
                byte[] b;
                try (InputStream x = original.getInputStream(entry); InputStream y = rewritten.getInputStream(other)) {
                    a = x.readAllBytes();
                    b = y.readAllBytes();
                }
                if (!java.util.Arrays.equals(a, b) || crc(b) != other.getCrc()) {
                    throw new IOException("ZopfliZip: " + entry.getName() + " does not inflate to its original bytes");
                }
            }
        }
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }
}
