package io.cartola.scale;

import static io.cartola.testing.KhipuStandIn.json;
import static io.cartola.testing.KhipuStandIn.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cartola.fetch.FetchResult.Outcome;
import io.cartola.fetch.FetchWorker;
import io.cartola.fetch.RunGauges;
import io.cartola.queue.AccountTask;
import io.cartola.records.Mode;
import io.cartola.testing.Accounts;
import io.cartola.testing.ElasticMq;
import io.cartola.testing.Envelopes;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.QueueProfile;
import io.cartola.testing.S3Objects;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A look that finds its callback overdue records the request lost and asks synchronously; when that ask fails and
 * the look is put back, its redelivery asks again (not "already lost, nothing to do"), and the lost request is
 * counted in the batch that found it. The callback deadline is 2 s here.
 */
@QuarkusTest
@TestProfile(RecheckTest.ShortDeadline.class)
public class LookFallbackTest {

    @Inject
    FetchWorker worker;

    final KhipuStandIn khipu = KhipuStandIn.get();
    final S3Objects s3 = new S3Objects();

    @Test
    void aLooksFailedFallbackIsAskedAgainOnRedeliveryAndCounted() throws Exception {
        String account = Accounts.fresh();
        khipu.accept(account, "op-fallback");
        khipu.stub(request(account, false).willReturn(json(503, "{}")));
        List<FetchWorker.Done> asked = worker.work(List.of(new AccountTask(account, Mode.async, false, "run-" + UUID.randomUUID())),
                new RunGauges());
        assertEquals(Outcome.ACCEPTED, asked.get(0).result().outcome());

        AccountTask look;
        try (SqsClient sqs = ElasticMq.get().client()) {
            List<Message> looks = RecheckTest.receive(sqs, 10);
            assertEquals(1, looks.size());
            look = AccountTask.parse(looks.get(0).body());
            sqs.deleteMessage(b -> b.queueUrl(QueueProfile.url()).receiptHandle(looks.get(0).receiptHandle()));
        }
        assertNotNull(look.recheck());

        RunGauges gauges = new RunGauges();
        List<FetchWorker.Done> first = worker.work(List.of(look), gauges);
        Map<String, Number> metrics = worker.report(first, 0, gauges);
        assertTrue(first.get(0).redeliver(), "the synchronous ask failed (503): put back");
        assertEquals(1, metrics.get("AccountsLost"), metrics.toString());
        int afterFirst = khipu.requests(account).size();

        khipu.answer(account, Envelopes.ok("op-fallback-sync", Envelopes.transactions(1, "fb")));
        List<FetchWorker.Done> again = worker.work(List.of(look), new RunGauges());

        assertNotNull(again.get(0).result(), "the redelivered look asked again");
        assertEquals(Outcome.STORED, again.get(0).result().outcome());
        assertEquals(afterFirst + 1, khipu.requests(account).size());
        assertEquals(1, s3.keys("raw/btgpactual.cl/account=" + account).size());

        // delivered once more: the account was asked since, nothing to do
        assertEquals(null, worker.work(List.of(look), new RunGauges()).get(0).result());
        assertEquals(afterFirst + 1, khipu.requests(account).size());
    }
}
