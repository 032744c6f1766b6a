package io.cartola.infra;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The template after the SAM transform, with its intrinsic functions ({@code Ref}, {@code Fn::GetAtt},
 * {@code Fn::Sub}, {@code Fn::If}, {@code Fn::Join}) resolved as CloudFormation would for one deployment: the
 * parameters given (else their defaults), an account, region and stack name, and the names of the resources
 * the test made in their stead. A reference to anything else fails, naming it, so that a template change the
 * test does not know of is seen rather than rendered wrong.
 */
final class RenderedTemplate {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    /** One function's identity as deployed: its environment, inline policies (by name) and managed policy ARNs. */
    record Function(String name, Map<String, String> environment, Map<String, String> inlinePolicies, List<String> managedPolicies) {
    }

    private final JsonNode template;
    private final Map<String, String> values = new HashMap<>();

    /**
     * @param parameters the deployment's parameter values (the rest take their defaults)
     * @param resources  each resource the test stands in for: {@code Name} (its Ref) and {@code Name.Attribute}
     */
    RenderedTemplate(JsonNode template, String accountId, String region, String stackName, Map<String, String> parameters,
            Map<String, String> resources) {
        this.template = template;
        template.path("Parameters").properties().forEach(p -> {
            if (p.getValue().has("Default")) {
                values.put(p.getKey(), p.getValue().get("Default").asText());
            }
        });
        values.putAll(parameters);
        values.put("AWS::AccountId", accountId);
        values.put("AWS::Region", region);
        values.put("AWS::Partition", "aws");
        values.put("AWS::StackName", stackName);
        values.put("AWS::URLSuffix", "amazonaws.com");
        // the roles are named by their logical ids; the test makes one identity per function in their stead
        template.path("Resources").properties().forEach(r -> {
            if (r.getValue().get("Type").asText().equals("AWS::IAM::Role")) {
                values.put(r.getKey(), r.getKey());
                values.put(r.getKey() + ".Arn", "arn:aws:iam::" + accountId + ":role/" + r.getKey());
            }
        });
        values.putAll(resources);
    }

    boolean condition(String name) {
        JsonNode c = template.path("Conditions").get(name);
        if (c == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        return truth(c);
    }

    private boolean truth(JsonNode c) {
        if (c.has("Condition")) {
            return condition(c.get("Condition").asText());
        }
        if (c.has("Fn::Equals")) {
            return render(c.get("Fn::Equals").get(0)).asText().equals(render(c.get("Fn::Equals").get(1)).asText());
        }
        if (c.has("Fn::Not")) {
            return !truth(c.get("Fn::Not").get(0));
        }
        if (c.has("Fn::And") || c.has("Fn::Or")) {
            boolean and = c.has("Fn::And");
            boolean result = and;
            for (JsonNode each : c.get(and ? "Fn::And" : "Fn::Or")) {
                result = and ? result && truth(each) : result || truth(each);
            }
            return result;
        }
        throw new IllegalArgumentException("cannot evaluate condition " + c);
    }

    /** Whether the resource exists in this deployment (its Condition holds). */
    boolean exists(String resource) {
        JsonNode r = resource(resource);
        return !r.has("Condition") || condition(r.get("Condition").asText());
    }

    private JsonNode resource(String name) {
        JsonNode r = template.path("Resources").get(name);
        if (r == null) {
            throw new IllegalArgumentException("the template has no resource " + name);
        }
        return r;
    }

    /** A Lambda function's environment and the policies of its role, rendered. */
    Function function(String name) {
        JsonNode properties = resource(name).get("Properties");
        Map<String, String> environment = new HashMap<>();
        render(properties.at("/Environment/Variables")).properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        JsonNode roleArn = properties.get("Role");
        if (!roleArn.has("Fn::GetAtt")) {
            throw new IllegalArgumentException(name + "'s role is not one of the template's: " + roleArn);
        }
        String role = roleArn.get("Fn::GetAtt").get(0).asText();
        JsonNode roleProperties = resource(role).get("Properties");
        Map<String, String> inline = new HashMap<>();
        for (JsonNode policy : roleProperties.path("Policies")) {
            inline.put(policy.get("PolicyName").asText(), render(policy.get("PolicyDocument")).toString());
        }
        // policies of their own that name the role (AWS::IAM::Policy), where the resource exists
        template.get("Resources").properties().forEach(r -> {
            if (r.getValue().get("Type").asText().equals("AWS::IAM::Policy") && exists(r.getKey())) {
                JsonNode p = r.getValue().get("Properties");
                if (render(p.get("Roles")).toString().contains("\"" + role + "\"")) {
                    inline.put(p.get("PolicyName").asText(), render(p.get("PolicyDocument")).toString());
                }
            }
        });
        List<String> managed = new ArrayList<>();
        render(roleProperties.path("ManagedPolicyArns")).forEach(arn -> managed.add(arn.asText()));
        return new Function(name, environment, inline, managed);
    }

    /** {@code node} with every intrinsic function resolved; {@code AWS::NoValue} leaves nothing (null). */
    JsonNode render(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return JSON.createArrayNode();
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(n -> {
                JsonNode r = render(n);
                if (r != null) {
                    out.add(r);
                }
            });
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1) {
            String function = node.properties().iterator().next().getKey();
            JsonNode args = node.get(function);
            switch (function) {
                case "Ref":
                    return args.asText().equals("AWS::NoValue") ? null : new TextNode(value(args.asText()));
                case "Fn::GetAtt":
                    return new TextNode(value(args.get(0).asText() + "." + args.get(1).asText()));
                case "Fn::If":
                    return render(condition(args.get(0).asText()) ? args.get(1) : args.get(2));
                case "Fn::Sub":
                    return new TextNode(sub(args));
                case "Fn::Join": {
                    List<String> parts = new ArrayList<>();
                    render(args.get(1)).forEach(p -> parts.add(p.asText()));
                    return new TextNode(String.join(args.get(0).asText(), parts));
                }
                default:
                    if (function.startsWith("Fn::")) {
                        throw new IllegalArgumentException("cannot render " + function + ": " + node);
                    }
            }
        }
        ObjectNode out = JSON.createObjectNode();
        node.properties().forEach(e -> {
            JsonNode r = render(e.getValue());
            if (r != null) {
                out.set(e.getKey(), r);
            }
        });
        return out;
    }

    private String sub(JsonNode args) {
        String text = args.isArray() ? args.get(0).asText() : args.asText();
        Map<String, String> local = new HashMap<>();
        if (args.isArray()) {
            args.get(1).properties().forEach(e -> local.put(e.getKey(), render(e.getValue()).asText()));
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = name.startsWith("!") ? "${" + name.substring(1) + "}"
                    : local.containsKey(name) ? local.get(name) : value(name);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String value(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the test does not stand in for " + name + ": give it a value");
        }
        return v;
    }
}
