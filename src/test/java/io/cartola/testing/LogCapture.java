package io.cartola.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log line the application writes while installed, as text with its stack traces, to scan for
 * secrets: in this JVM (@QuarkusTest), and what a launched executable (@QuarkusIntegrationTest) writes
 * to {@code target/quarkus.log} meanwhile.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    static final Path LAUNCHED = Path.of("target", "quarkus.log");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final long launchedFrom;

    private LogCapture(long launchedFrom) {
        this.launchedFrom = launchedFrom;
    }

    public static LogCapture install() {
        LogCapture capture = new LogCapture(size());
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    private static long size() {
        try {
            return Files.exists(LAUNCHED) ? Files.size(LAUNCHED) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        StringBuilder line = new StringBuilder(record.getLevel() + " " + record.getLoggerName() + " " + message);
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    public List<String> lines() {
        List<String> all = new ArrayList<>(lines);
        if (size() > launchedFrom) {
            try (var in = Files.newInputStream(LAUNCHED)) {
                in.skipNBytes(launchedFrom);
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
