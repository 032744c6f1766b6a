package io.cartola.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys as paths under a directory: the local default. Each object is written to a temporary file
 * first and then linked (create) or atomically moved (replace) into place, so readers see it whole
 * or not at all. A version is a digest of the content (see {@link #version}). {@code replace} holds
 * a lock on a hidden lock file beside the object, so it is atomic across threads and processes (several local function instances). Files
 * are not fsync'ed: this store is for local runs, where atomicity matters and power loss does not.
 */
public class FileObjectStore implements ObjectStore {

    private final Path root;
    // one JVM may hold several stores on one folder, and a JVM may not take the same file lock twice
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    public FileObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public boolean create(String key, byte[] bytes, String contentType) {
        return write(key, bytes, (target, tmp) -> {
            try {
                // a hard link fails atomically if the target exists: create-new semantics for the whole file
                Files.createLink(target, tmp);
                return true;
            } catch (FileAlreadyExistsException exists) {
                return false;
            } catch (UnsupportedOperationException noLinks) {
                synchronized (lock(target)) {
                    if (Files.exists(target)) {
                        return false;
                    }
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    return true;
                }
            }
        });
    }

    @Override
    public boolean replace(String key, byte[] bytes, String contentType, String expectedVersion) {
        return write(key, bytes, (target, tmp) -> {
            // a JVM lock first: one process may not take the same file lock twice
            synchronized (lock(target)) {
                try (FileChannel lockFile = FileChannel.open(target.resolveSibling("." + target.getFileName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock held = lockFile.lock()) {
                    String current = read(key).map(Stored::version).orElse(null);
                    if (expectedVersion == null ? current != null : !expectedVersion.equals(current)) {
                        return false;
                    }
                    try {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    return true;
                }
            }
        });
    }

    /** Puts a temporary file in place of the target, or not; true if it did. */
    @FunctionalInterface
    private interface Placement {
        boolean place(Path target, Path tmp) throws IOException;
    }

    /** Writes the bytes to a temporary file beside the target, lets {@code placement} move it in, cleans up. */
    private boolean write(String key, byte[] bytes, Placement placement) {
        Path target = resolve(key);
        Path tmp = null;
        try {
            tmp = writeTemp(target, bytes);
            return placement.place(target, tmp);
        } catch (IOException e) {
            throw new StorageException("could not write " + key, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public Optional<Stored> read(String key) {
        Path target = resolve(key);
        try {
            // a replace moves a whole new file in place: the bytes read are one version, never a mix
            byte[] bytes = Files.readAllBytes(target);
            return Optional.of(new Stored(bytes, version(bytes)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("could not read " + key, e);
        }
    }

    @Override
    public Optional<java.io.InputStream> open(String key) {
        try {
            return Optional.of(Files.newInputStream(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("could not read " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        Path target = resolve(key);
        synchronized (lock(target)) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException e) {
                throw new StorageException("could not delete " + key, e);
            }
        }
    }

    @Override
    public java.util.List<Listed> list(String prefix) {
        Path folder = resolveFolder(prefix);
        if (!Files.isDirectory(folder)) {
            return java.util.List.of();
        }
        for (int attempt = 1;; attempt++) {
            try (var files = Files.walk(folder)) {
                return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                        .map(f -> root.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
                        .filter(key -> key.startsWith(prefix)).sorted()
                        .map(key -> new Listed(key, modified(resolve(key)))).toList();
            } catch (java.io.UncheckedIOException e) {
                // a writer's temporary file renamed away while the walk passed it: list again
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 5) {
                    throw new StorageException("could not list " + prefix, e);
                }
            } catch (IOException e) {
                throw new StorageException("could not list " + prefix, e);
            }
        }
    }

    @Override
    public java.util.List<String> folders(String prefix) {
        return list(prefix).stream().map(l -> l.key().substring(prefix.length())).filter(rest -> rest.indexOf('/') > 0)
                .map(rest -> rest.substring(0, rest.indexOf('/'))).distinct().toList();
    }

    /** The folder holding every key that starts with {@code prefix}. */
    private Path resolveFolder(String prefix) {
        int slash = prefix.lastIndexOf('/');
        return slash < 0 ? root : resolve(prefix.substring(0, slash));
    }

    private static java.time.Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The version is a digest of the content, as S3's ETag of a single PUT is: a file's inode, time and
     * size can all repeat when a replace follows another quickly (a freed inode is reused), content cannot
     * differ under one digest. Two writes of the same bytes share a version, as in S3; a merge computed
     * from those bytes is then still right.
     */
    private static String version(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("key outside the storage directory: " + key);
        }
        return path;
    }

    private Object lock(Path path) {
        return LOCKS.computeIfAbsent(path, p -> new Object());
    }

    private static Path writeTemp(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return tmp;
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover hidden .tmp file is harmless
            }
        }
    }

}
