package io.cartola.fetch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.cartola.records.Accounts;

/**
 * The accounts a run fetches, read line by line (a list in the store may hold 100,000 accounts):
 * blank lines, surrounding spaces and lines starting with {@code #} are ignored; a bad line (over 20
 * characters, spaces inside, a repeat) is reported with its line number and skipped, and the rest go on.
 *
 * @param problems the lines skipped, each as {@code <source> line <n>: <rule>}
 */
public record AccountList(List<String> accounts, List<String> problems) {

    /** Reads a text object with one account per line. */
    public static AccountList read(InputStream in, String source) {
        List<String> accounts = new ArrayList<>();
        List<String> problems = read(in, source, accounts::add);
        return new AccountList(List.copyOf(accounts), problems);
    }

    /**
     * Reads a text object with one account per line, handing each account to {@code each} as it is read and
     * keeping none of them (only a compact record of those seen, for repeats); returns the problems.
     */
    public static List<String> read(InputStream in, String source, Consumer<String> each) {
        Builder list = new Builder(source, each);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    list.add(entry, "line " + number, number);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the account list " + source, e);
        }
        return List.copyOf(list.problems);
    }

    /** A list given as values (the {@code cartola.accounts} setting); entries are numbered from 1. */
    public static AccountList of(List<String> values, String source) {
        List<String> accounts = new ArrayList<>();
        Builder list = new Builder(source, accounts::add);
        for (int i = 0; i < values.size(); i++) {
            list.add(values.get(i).strip(), "entry " + (i + 1), i + 1);
        }
        return new AccountList(List.copyOf(accounts), List.copyOf(list.problems));
    }

    private static final class Builder {
        private final String source;
        private final Consumer<String> each;
        private final List<String> problems = new ArrayList<>();
        private final Seen seen = new Seen();

        Builder(String source, Consumer<String> each) {
            this.source = source;
            this.each = each;
        }

        void add(String account, String where, int number) {
            String problem = Accounts.problem(account);
            int first = problem == null ? seen.firstOrAdd(account, number) : -1;
            if (problem == null && first >= 0) {
                problem = "repeats " + Accounts.mask(account) + " of " + where.replaceAll("[0-9]+", String.valueOf(first));
            }
            if (problem != null) {
                problems.add(source + " " + where + ": " + problem);
            } else {
                each.accept(account);
            }
        }
    }

    /**
     * The accounts seen so far and the entry each was first seen at, compactly, so that a list of 100,000 is
     * read without holding it: an all-digit account of up to 17 digits (the usual kind) is one long, its digits
     * and its length (so leading zeros count), in an open-addressing table; any other is kept as text.
     */
    static final class Seen {
        private long[] keys = new long[1 << 10];
        private int[] firsts = new int[1 << 10];
        private int size;
        private final Map<String, Integer> others = new HashMap<>();

        /** The entry {@code account} was first seen at, or -1 if it was not (it is now, at {@code number}). */
        int firstOrAdd(String account, int number) {
            long key = key(account);
            if (key == 0) {
                Integer first = others.putIfAbsent(account, number);
                return first == null ? -1 : first;
            }
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int i = slot(keys, key);
            if (keys[i] == key) {
                return firsts[i];
            }
            keys[i] = key;
            firsts[i] = number;
            size++;
            return -1;
        }

        static long key(String account) {
            if (account.isEmpty() || account.length() > 17) {
                return 0;
            }
            long digits = 0;
            for (int i = 0; i < account.length(); i++) {
                char c = account.charAt(i);
                if (c < '0' || c > '9') {
                    return 0;
                }
                digits = digits * 10 + (c - '0');
            }
            // 10^17 < 2^57: the length goes above the digits, and is never 0
            return ((long) account.length() << 57) | digits;
        }

        private static int slot(long[] table, long key) {
            int i = (int) (mix(key) & (table.length - 1));
            while (table[i] != 0 && table[i] != key) {
                i = (i + 1) & (table.length - 1);
            }
            return i;
        }

        private static long mix(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return h ^ (h >>> 32);
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldFirsts = firsts;
            keys = new long[oldKeys.length * 2];
            firsts = new int[oldKeys.length * 2];
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != 0) {
                    int i = slot(keys, oldKeys[j]);
                    keys[i] = oldKeys[j];
                    firsts[i] = oldFirsts[j];
                }
            }
        }
    }
}
