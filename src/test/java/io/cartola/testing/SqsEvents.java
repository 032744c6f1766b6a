package io.cartola.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** SQS events as Lambda's event source mapping sends them: AWS's documented example with the bodies given. */
public final class SqsEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SqsEvents() {
    }

    /** AWS's two-record example (events/sqs-batch.json) with one record per body; message ids {@code msg-<i>}. */
    public static String of(List<String> bodies) {
        try {
            ObjectNode example = (ObjectNode) JSON.readTree(Events.load("sqs-batch.json"));
            ObjectNode template = (ObjectNode) example.get("Records").get(0);
            ArrayNode records = JSON.createArrayNode();
            for (int i = 0; i < bodies.size(); i++) {
                records.add(record(template, "msg-" + i, bodies.get(i), 1));
            }
            example.set("Records", records);
            return example.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages received from a queue, as the event source mapping hands them to the function. */
    public static String ofReceived(List<Message> messages) {
        try {
            ObjectNode example = (ObjectNode) JSON.readTree(Events.load("sqs-batch.json"));
            ObjectNode template = (ObjectNode) example.get("Records").get(0);
            ArrayNode records = JSON.createArrayNode();
            for (Message m : messages) {
                String count = m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1");
                records.add(record(template, m.messageId(), m.body(), Integer.parseInt(count)).put("receiptHandle", m.receiptHandle()));
            }
            example.set("Records", records);
            return example.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode record(ObjectNode template, String id, String body, int receiveCount) throws Exception {
        ObjectNode r = template.deepCopy();
        r.put("messageId", id);
        r.put("body", body);
        r.put("md5OfBody", HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8))));
        ((ObjectNode) r.get("attributes")).put("ApproximateReceiveCount", String.valueOf(receiveCount));
        return r;
    }
}
