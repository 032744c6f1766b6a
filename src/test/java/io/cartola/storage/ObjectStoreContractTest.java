package io.cartola.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cartola.testing.MotoServer;
import io.cartola.testing.S3Objects;

/** The same contract for both stores: the filesystem one and S3 (against moto). */
class ObjectStoreContractTest {

    abstract static class Contract {

        abstract ObjectStore store();

        final String prefix = "contract/" + UUID.randomUUID() + "/";

        @Test
        void createWritesOnceAndNeverOverwrites() {
            String key = prefix + "a.json";
            assertTrue(store().create(key, "first".getBytes(UTF_8), "application/json"));
            assertFalse(store().create(key, "second".getBytes(UTF_8), "application/json"));
            assertEquals("first", new String(store().read(key).orElseThrow().bytes(), UTF_8));
        }

        @Test
        void listGivesTheKeysUnderAPrefixInOrderAndFoldersTheNamesOneLevelDown() {
            for (String key : List.of("raw/account=2/date=2026-11-25/b.json", "raw/account=1/date=2026-11-24/a.json",
                    "raw/account=1/date=2026-11-24/c.json", "raw/account=10/date=2026-11-24/x.json", "rawer/z.json")) {
                assertTrue(store().create(prefix + key, key.getBytes(UTF_8), "application/json"));
            }
            assertEquals(List.of(prefix + "raw/account=1/date=2026-11-24/a.json", prefix + "raw/account=1/date=2026-11-24/c.json"),
                    store().list(prefix + "raw/account=1/").stream().map(ObjectStore.Listed::key).toList());
            assertEquals(4, store().list(prefix + "raw/").size(), "not rawer/");
            assertTrue(store().list(prefix + "raw/").stream().allMatch(l -> l.lastModified() != null));
            assertEquals(List.of("account=1", "account=10", "account=2"), store().folders(prefix + "raw/"));
            assertEquals(List.of(), store().list(prefix + "nothing/"));
            assertEquals(List.of(), store().folders(prefix + "nothing/"));
        }

        @Test
        void aVersionReadBeforeTwoQuickSameSizeReplacesIsStale() throws Exception {
            String key = prefix + "fast.jsonl";
            assertTrue(store().replace(key, "aaaa".getBytes(UTF_8), "text/plain", null));
            touchBack(key);
            ObjectStore.Stored first = store().read(key).orElseThrow();
            // the first file's inode is free again when the third is written: same size, same time, maybe the same inode
            assertTrue(store().replace(key, "bbbb".getBytes(UTF_8), "text/plain", first.version()));
            assertTrue(store().replace(key, "cccc".getBytes(UTF_8), "text/plain", store().read(key).orElseThrow().version()));
            touchBack(key);
            assertFalse(store().replace(key, "dddd".getBytes(UTF_8), "text/plain", first.version()), "a stale version must not win");
            assertEquals("cccc", new String(store().read(key).orElseThrow().bytes(), UTF_8));
        }

        /** Gives the object an old modification time where the store can (the filesystem). */
        void touchBack(String key) throws Exception {
        }

        @Test
        void readOfAMissingKeyIsEmpty() {
            assertTrue(store().read(prefix + "missing").isEmpty());
        }

        @Test
        void replaceSucceedsOnlyAgainstTheVersionRead() {
            String key = prefix + "view.jsonl";
            assertTrue(store().replace(key, "v1".getBytes(UTF_8), "text/plain", null));
            assertFalse(store().replace(key, "again".getBytes(UTF_8), "text/plain", null), "exists already");
            String v1 = store().read(key).orElseThrow().version();
            assertTrue(store().replace(key, "v2".getBytes(UTF_8), "text/plain", v1));
            assertFalse(store().replace(key, "v3".getBytes(UTF_8), "text/plain", v1), "stale version");
            assertEquals("v2", new String(store().read(key).orElseThrow().bytes(), UTF_8));
        }

        @Test
        void deleteRemovesAnObjectAndIgnoresAMissingOne() {
            String key = prefix + "token.json";
            store().create(key, "secret".getBytes(UTF_8), "application/json");
            store().delete(key);
            assertTrue(store().read(key).isEmpty());
            store().delete(key);
            assertTrue(store().create(key, "again".getBytes(UTF_8), "application/json"), "the key is free again");
        }

        @Test
        void bytesComeBackExactly() {
            byte[] bytes = new byte[256 * 1024];
            new java.util.Random(7).nextBytes(bytes);
            store().create(prefix + "bin", bytes, "application/octet-stream");
            assertArrayEquals(bytes, store().read(prefix + "bin").orElseThrow().bytes());
        }

        /**
         * Racing writers: exactly one of them wins, as in S3. This fails against S3Mock 5.2.0, which
         * checks a condition and then writes (of 20 racing {@code If-Match} PUTs up to six won there).
         */
        @Test
        void racingCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
            String key = prefix + "race.json";
            assertEquals(1, race(20, i -> store().create(key, ("writer-" + i).getBytes(UTF_8), "application/json")));
            assertTrue(new String(store().read(key).orElseThrow().bytes(), UTF_8).startsWith("writer-"));
        }

        @Test
        void racingReplacesOfOneVersionHaveExactlyOneWinner() throws Exception {
            String key = prefix + "state.json";
            store().create(key, "v0".getBytes(UTF_8), "application/json");
            String version = store().read(key).orElseThrow().version();
            assertEquals(1, race(20, i -> store().replace(key, ("writer-" + i).getBytes(UTF_8), "application/json", version)));
        }

        @Test
        void openStreamsAnObject() throws Exception {
            store().create(prefix + "list.txt", "000011887755\n000022334455\n".getBytes(UTF_8), "text/plain");
            try (var in = store().open(prefix + "list.txt").orElseThrow()) {
                assertEquals("000011887755\n000022334455\n", new String(in.readAllBytes(), UTF_8));
            }
            assertTrue(store().open(prefix + "nothing.txt").isEmpty());
        }

        /** Runs {@code writers} writes at once and counts those that went through. */
        static int race(int writers, java.util.function.IntPredicate write) throws Exception {
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                Callable<Boolean> attempt = () -> {
                    start.await();
                    return write.test(n);
                };
                results.add(pool.submit(attempt));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> r : results) {
                winners += r.get() ? 1 : 0;
            }
            pool.shutdown();
            return winners;
        }

    }

    @Nested
    class OnTheFilesystem extends Contract {

        @TempDir
        Path dir;

        @Override
        ObjectStore store() {
            return new FileObjectStore(dir);
        }

        final java.nio.file.attribute.FileTime start = java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);

        @Override
        void touchBack(String key) throws Exception {
            Files.setLastModifiedTime(dir.resolve(key), start);
        }

        @Test
        void noTemporaryFilesAreLeftBehindAndKeysCannotEscape() throws Exception {
            store().create(prefix + "x.json", "x".getBytes(UTF_8), "application/json");
            store().create(prefix + "x.json", "y".getBytes(UTF_8), "application/json");
            try (var files = Files.walk(dir)) {
                assertEquals(1, files.filter(Files::isRegularFile).count());
            }
            assertThrows(IllegalArgumentException.class, () -> store().create("../outside", new byte[1], "x"));
        }
    }

    /** Against moto, which serializes conditional PUTs as AWS S3 does (one 200, the rest 412 or 409). */
    @Nested
    class OnS3 extends Contract {

        final ObjectStore s3 = new S3ObjectStore(S3Objects.client(), MotoServer.BUCKET);

        @Override
        ObjectStore store() {
            return s3;
        }

        @Test
        void anUnreachableServerIsAStorageException() {
            ObjectStore nowhere = new S3ObjectStore(software.amazon.awssdk.services.s3.S3Client.builder()
                    .endpointOverride(java.net.URI.create("http://127.0.0.1:9")).forcePathStyle(true)
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
                    .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                    .build(), "b");
            StorageException e = assertThrows(StorageException.class,
                    () -> nowhere.create("raw/btgpactual.cl/account=000011887755/x.json", new byte[1], "x"));
            assertFalse(e.getMessage().contains("000011887755"), "account masked: " + e.getMessage());
            assertTrue(e.getMessage().contains("****7755"));
        }
    }
}
