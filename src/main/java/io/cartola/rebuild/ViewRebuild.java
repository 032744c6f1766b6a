package io.cartola.rebuild;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.config.CartolaConfig;
import io.cartola.khipu.EnvelopeReader;
import io.cartola.khipu.InvalidEnvelopeException;
import io.cartola.khipu.model.Envelope;
import io.cartola.records.AccountRequest;
import io.cartola.records.Accounts;
import io.cartola.records.Mode;
import io.cartola.records.TransactionView;
import io.cartola.storage.ObjectStore;
import io.cartola.telemetry.Metrics;

/**
 * Recomputes views from {@code raw/}, the source of truth: for each account and day of a range, every
 * stored answer with data, merged in request order, replaces the day's view (a conditional write, as on
 * the live path). Idempotent: a view already as the rebuild makes it is not written. Accounts are taken in
 * the order of a hash of their number, so a run that nears its timeout answers a cursor to continue after
 * that names no account.
 */
@ApplicationScoped
public class ViewRebuild {

    private static final Logger LOG = Logger.getLogger(ViewRebuild.class);
    private static final Duration MAX_MARGIN = Duration.ofSeconds(60);

    private final ObjectStore store;
    private final TransactionView view;
    private final EnvelopeReader envelopes;
    private final ObjectMapper mapper;
    private final String institution;
    private final java.util.Optional<Duration> timeout;
    private final Metrics metrics;
    private final Clock clock;

    public ViewRebuild(ObjectStore store, TransactionView view, EnvelopeReader envelopes, ObjectMapper mapper,
            CartolaConfig config, Metrics metrics, Clock clock) {
        this.store = store;
        this.view = view;
        this.envelopes = envelopes;
        this.mapper = mapper;
        this.institution = config.khipu().institution();
        this.timeout = config.rebuild().timeout();
        this.metrics = metrics;
        this.clock = clock;
    }

    private static final class Tally {
        int accounts, days, written, unchanged, answers, unreadable;
    }

    public RebuildResult rebuild(RebuildInput in) {
        if (in == null) {
            throw new io.cartola.fetch.InvalidInputException("event: empty; " + RebuildInput.SHAPE);
        }
        Instant started = clock.instant();
        Instant stopBy = timeout
                .map(t -> started.plus(t).minus(t.dividedBy(5).compareTo(MAX_MARGIN) < 0 ? t.dividedBy(5) : MAX_MARGIN))
                .orElse(Instant.MAX);
        Tally tally = new Tally();
        String after = in.after();
        boolean stopped = false;
        for (String account : accounts(institution, in)) {
            String cursor = cursor(account);
            if (in.after() != null && cursor.compareTo(in.after()) <= 0) {
                continue;
            }
            if (clock.instant().isAfter(stopBy)) {
                stopped = true;
                break;
            }
            account(institution, account, in.from(), in.to(), tally);
            after = cursor;
            tally.accounts++;
        }
        // a run stopped before its first account continues from where it was asked to start
        after = after == null ? "0".repeat(16) : after;
        String message = stopped
                ? "stopped near the timeout (cartola.rebuild.timeout): invoke again with \"after\": \"" + after + "\" to continue"
                : "done: every view of the range is as the raw answers make it";
        LOG.infof("rebuild %s..%s: %d accounts, %d days, %d views written, %d unchanged, %d answers (%d unreadable); %s",
                in.from(), in.to(), tally.accounts, tally.days, tally.written, tally.unchanged, tally.answers, tally.unreadable,
                message);
        metrics.emit(Map.of("ViewsRebuilt", tally.written, "RebuildUnreadableAnswers", tally.unreadable));
        return new RebuildResult(in.from(), in.to(), tally.accounts, tally.days, tally.written, tally.unchanged, tally.answers,
                tally.unreadable, stopped ? after : null, message);
    }

    /** The accounts to rebuild, in cursor order. */
    private List<String> accounts(String institution, RebuildInput in) {
        List<String> accounts = new ArrayList<>();
        if (in.accounts() != null) {
            accounts.addAll(in.accounts());
        } else {
            for (String folder : store.folders("raw/" + institution + "/")) {
                if (folder.startsWith("account=") && Accounts.problem(folder.substring(8)) == null) {
                    accounts.add(folder.substring(8));
                }
            }
        }
        accounts.sort(Comparator.comparing(ViewRebuild::cursor));
        return accounts;
    }

    /** Where an account is in a run's order: a hash of its number, so a cursor does not give the number away. */
    static String cursor(String account) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(account.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void account(String institution, String account, LocalDate from, LocalDate to, Tally tally) {
        TreeSet<LocalDate> days = new TreeSet<>();
        String prefix = "raw/" + institution + "/account=" + account + "/date=";
        for (ObjectStore.Listed listed : store.list(prefix)) {
            String rest = listed.key().substring(prefix.length());
            try {
                LocalDate day = LocalDate.parse(rest.substring(0, rest.indexOf('/')));
                if (!day.isBefore(from) && !day.isAfter(to)) {
                    days.add(day);
                }
            } catch (RuntimeException notADay) {
                LOG.warnf("rebuild account=%s: %s is not under a date folder; left out", Accounts.mask(account), rest);
            }
        }
        for (LocalDate day : days) {
            int[] read = new int[2];
            TransactionView.Merged merged = view.rebuild(AccountRequest.viewKey(institution, account, day), () -> {
                read[0] = 0;
                read[1] = 0;
                return answers(institution, account, day, read);
            });
            tally.days++;
            tally.answers += read[0];
            tally.unreadable += read[1];
            if (merged.changed()) {
                tally.written++;
            } else {
                tally.unchanged++;
            }
        }
    }

    /** The day's stored answers with data; {@code read} counts answers read and unreadable ones. */
    private List<TransactionView.Answer> answers(String institution, String account, LocalDate day, int[] read) {
        List<TransactionView.Answer> answers = new ArrayList<>();
        Map<String, Instant> legacyTimes = null;
        for (ObjectStore.Listed listed : store.list(AccountRequest.rawPrefix(institution, account, day))) {
            byte[] raw = store.read(listed.key()).map(ObjectStore.Stored::bytes).orElse(null);
            if (raw == null) {
                continue;
            }
            read[0]++;
            Envelope envelope;
            try {
                envelope = envelopes.read(raw);
            } catch (InvalidEnvelopeException e) {
                read[1]++;
                LOG.errorf("rebuild account=%s: %s is not a readable answer (%s); left out", Accounts.mask(account),
                        listed.key().substring(listed.key().lastIndexOf('/') + 1), e.getMessage());
                continue;
            }
            if (!envelope.ok()) {
                continue;
            }
            String name = listed.key().substring(listed.key().lastIndexOf('/') + 1).replace(".json", "");
            Instant at = AccountRequest.requestedAtOfRaw(listed.key()).orElse(null);
            String requestId = at == null ? name : name.substring(name.indexOf('-') + 1);
            if (at == null) {
                // stored before answers were named after their request time: the old view kept it per operation
                legacyTimes = legacyTimes != null ? legacyTimes : legacyTimes(institution, account, day);
                at = legacyTimes.getOrDefault(envelope.operationId(), listed.lastModified());
            }
            answers.add(new TransactionView.Answer(new AccountRequest(institution, account, requestId, at, day, Mode.sync), raw,
                    envelope));
        }
        return answers;
    }

    /** OperationId to SnapshotTime, from a view as written before views were kept per day folder. */
    private Map<String, Instant> legacyTimes(String institution, String account, LocalDate day) {
        Map<String, Instant> times = new HashMap<>();
        store.read("view/" + institution + "/account=" + account + "/date=" + day + "/transactions.jsonl").ifPresent(old -> {
            for (String line : new String(old.bytes(), StandardCharsets.UTF_8).split("\n")) {
                try {
                    JsonNode node = mapper.readTree(line);
                    if (node.path("OperationId").isTextual() && node.path("SnapshotTime").isTextual()) {
                        times.putIfAbsent(node.get("OperationId").asText(), Instant.parse(node.get("SnapshotTime").asText()));
                    }
                } catch (Exception unreadable) {
                    // a line without the time: the answer's own store time is used instead
                }
            }
        });
        return times;
    }
}
