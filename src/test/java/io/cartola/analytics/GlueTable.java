package io.cartola.analytics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The template's Glue table, read from infra/sam/template.yaml as CloudFormation gets it, and the
 * same table as Trino's Hive connector takes it: Hive types in Trino's spelling, the SerDe as a
 * format, Athena's projection parameters as Trino's projection properties, the bucket rendered to a
 * local folder. A parameter, SerDe or type it does not know fails, so a change to the table cannot
 * go untested.
 */
record GlueTable(String name, List<Column> columns, List<Column> partitionKeys, String serde, String inputFormat,
        String outputFormat, String location, Map<String, String> parameters) {

    record Column(String name, String type) {
    }

    static final Path TEMPLATE = Path.of("infra", "sam", "template.yaml");

    /** Glue's {@code SerializationLibrary} and formats, and the Trino format that reads and writes the same files. */
    static final Map<String, String> FORMATS = Map.of(
            "org.apache.hive.hcatalog.data.JsonSerDe|org.apache.hadoop.mapred.TextInputFormat"
                    + "|org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat", "JSON");

    /** Athena's per-column projection keys ({@code projection.<column>.<key>}) and Trino's column property for each. */
    static final Map<String, String> COLUMN_PROJECTION = Map.of(
            "type", "partition_projection_type",
            "format", "partition_projection_format",
            "range", "partition_projection_range",
            "interval", "partition_projection_interval",
            "interval.unit", "partition_projection_interval_unit",
            "values", "partition_projection_values",
            "digits", "partition_projection_digits");

    /** Reads the {@code AWS::Glue::Table} resource of that name; {@code ${Bucket}} in its locations becomes {@code bucket}. */
    static GlueTable fromTemplate(String resource, String bucket) throws IOException {
        JsonNode table = new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile()).at("/Resources/" + resource);
        if (!table.path("Type").asText().equals("AWS::Glue::Table")) {
            throw new IllegalArgumentException(resource + " is not an AWS::Glue::Table in " + TEMPLATE);
        }
        JsonNode input = table.at("/Properties/TableInput");
        JsonNode storage = input.get("StorageDescriptor");
        Map<String, String> parameters = new LinkedHashMap<>();
        input.get("Parameters").properties().forEach(e -> parameters.put(e.getKey(), render(e.getValue(), bucket)));
        return new GlueTable(input.get("Name").asText(), columns(storage.get("Columns")), columns(input.get("PartitionKeys")),
                storage.at("/SerdeInfo/SerializationLibrary").asText(), storage.get("InputFormat").asText(),
                storage.get("OutputFormat").asText(), render(storage.get("Location"), bucket), parameters);
    }

    /**
     * This table as it was with an {@code injected} account partition before the date (the layout
     * {@code account=/date=}): Athena and Trino refuse any query of it without {@code account = '...'}.
     */
    GlueTable withInjectedAccount() {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.put("projection.account.type", "injected");
        p.put("storage.location.template", location + "account=${account}/date=${date}/");
        List<Column> keys = new ArrayList<>(List.of(new Column("account", "string")));
        partitionKeys.stream().filter(k -> !k.name().equals("account")).forEach(keys::add);
        return new GlueTable(name, columns, keys, serde, inputFormat, outputFormat, location, p);
    }

    /** The CREATE TABLE that makes this table in Trino's Hive catalog, in {@code schema}. */
    String trinoDdl(String schema) {
        String format = FORMATS.get(serde + "|" + inputFormat + "|" + outputFormat);
        if (format == null) {
            throw new IllegalStateException("no Trino format known for SerDe " + serde + " with " + inputFormat + "/" + outputFormat);
        }
        Map<String, Map<String, String>> columnProperties = new LinkedHashMap<>();
        List<String> tableProperties = new ArrayList<>(List.of("format = '" + format + "'", "external_location = '" + location + "'",
                "partitioned_by = ARRAY[" + partitionKeys.stream().map(k -> "'" + k.name() + "'").collect(Collectors.joining(", ")) + "]"));
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.equals("classification")) {
                continue; // a hint for Glue's crawlers and Athena's console; the SerDe decides how files are read
            } else if (key.equals("projection.enabled")) {
                tableProperties.add("partition_projection_enabled = " + Boolean.parseBoolean(value));
            } else if (key.equals("storage.location.template")) {
                tableProperties.add("partition_projection_location_template = '" + value + "'");
            } else if (key.startsWith("projection.")) {
                String rest = key.substring("projection.".length());
                String column = rest.substring(0, rest.indexOf('.'));
                String property = COLUMN_PROJECTION.get(rest.substring(column.length() + 1));
                if (property == null || partitionKeys.stream().noneMatch(k -> k.name().equals(column))) {
                    throw new IllegalStateException("table parameter " + key + " has no Trino equivalent known to this test");
                }
                columnProperties.computeIfAbsent(column, c -> new LinkedHashMap<>()).put(property, projectionValue(property, value));
            } else {
                throw new IllegalStateException("table parameter " + key + " has no Trino equivalent known to this test");
            }
        }
        List<String> columnDdl = new ArrayList<>();
        for (Column c : columns) {
            columnDdl.add(quote(c.name()) + " " + trinoType(c.type()));
        }
        for (Column k : partitionKeys) {
            Map<String, String> props = columnProperties.getOrDefault(k.name(), Map.of());
            columnDdl.add(quote(k.name()) + " " + trinoType(k.type()) + (props.isEmpty() ? ""
                    : " WITH (" + props.entrySet().stream().map(p -> p.getKey() + " = " + p.getValue()).collect(Collectors.joining(", ")) + ")"));
        }
        return "CREATE TABLE " + quote(schema) + "." + quote(name) + " (\n  " + String.join(",\n  ", columnDdl)
                + "\n) WITH (\n  " + String.join(",\n  ", tableProperties) + "\n)";
    }

    private static String projectionValue(String property, String value) {
        return switch (property) {
            case "partition_projection_interval", "partition_projection_digits" -> String.valueOf(Integer.parseInt(value));
            case "partition_projection_range", "partition_projection_values" -> "ARRAY[" + List.of(value.split(",")).stream()
                    .map(v -> "'" + v.trim() + "'").collect(Collectors.joining(", ")) + "]";
            case "partition_projection_type", "partition_projection_interval_unit" -> "'" + value.toUpperCase() + "'";
            default -> "'" + value + "'";
        };
    }

    private static final Pattern TYPE_TOKEN = Pattern.compile("\\s*(struct<|array<|map<|>|,|:|[a-z]+(\\(\\d+(,\\d+)?\\))?|[A-Za-z_][A-Za-z0-9_]*)");

    /** A Hive type as Glue spells it ({@code struct<amount:decimal(18,5),currency:string>}) in Trino's spelling. */
    static String trinoType(String hive) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TYPE_TOKEN.matcher(hive);
        int at = 0;
        while (at < hive.length() && m.find(at) && m.start() == at) {
            tokens.add(m.group(1));
            at = m.end();
        }
        if (at != hive.length()) {
            throw new IllegalStateException("cannot read the Hive type " + hive + " at " + at);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            switch (t) {
                case "struct<" -> out.append("row(");
                case "array<" -> out.append("array(");
                case "map<" -> out.append("map(");
                case ">" -> out.append(")");
                case "," -> out.append(", ");
                case ":" -> out.append(" ");
                default -> {
                    boolean fieldName = i + 1 < tokens.size() && tokens.get(i + 1).equals(":");
                    out.append(fieldName ? quote(t) : primitive(t));
                }
            }
        }
        return out.toString();
    }

    private static String primitive(String hive) {
        return switch (hive.replaceAll("\\(.*", "")) {
            case "string" -> "varchar";
            case "int" -> "integer";
            case "decimal", "boolean", "bigint", "double", "date", "timestamp" -> hive;
            default -> throw new IllegalStateException("no Trino type known for the Hive type " + hive);
        };
    }

    private static List<Column> columns(JsonNode list) {
        List<Column> out = new ArrayList<>();
        list.forEach(c -> out.add(new Column(c.get("Name").asText(), c.get("Type").asText())));
        return out;
    }

    /**
     * A value as CloudFormation resolves it: a plain string, or {@code !Sub [text, {...}]} with
     * {@code ${Bucket}} replaced and {@code ${!x}} (Sub's escape) kept as {@code ${x}}.
     */
    private static String render(JsonNode value, String bucket) {
        if (value.isTextual()) {
            return value.asText();
        }
        String text = value.get(0).asText();
        String rendered = text.replace("s3://${Bucket}/", bucket.endsWith("/") ? bucket : bucket + "/").replace("${!", "${");
        if (rendered.matches("(?s).*\\$\\{(?!date\\}|account\\})[^}]*}.*") || rendered.equals(text)) {
            throw new IllegalStateException("cannot render " + text + ": only s3://${Bucket}/ is known to this test");
        }
        return rendered;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
