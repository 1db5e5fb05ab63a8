package dev.storefront.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

/**
 * Checks rendered Kubernetes objects against the official API models of client-java, strictly, as the API
 * server would with field validation on, but offline.
 * <p>
 * Each object is deserialised with the models' own Gson, whose {@code validateJsonElement} rejects unknown
 * fields, missing required fields and wrong JSON shapes (an object where a list belongs, a word where a number
 * belongs), but stops at the first and names no path. A walk over the same model classes' fields goes first and
 * names, with its path, every unknown field, missing required field and wrong shape, and what Gson lets
 * through: values it silently converts (a quoted {@code "3"} for an integer, any string for a boolean, a number
 * for a string, which the API server refuses) and HTTP probes without a {@code path} (the API accepts them and
 * probes {@code /}, never what we mean). Gson's own message is reported when the walk found nothing: it is the
 * safety net for the cases the walk does not know of.
 */
final class KubernetesSchema {

    private static final String MODELS_PACKAGE = V1Deployment.class.getPackageName();

    /** The kinds the Storefront manifests may use, by {@code apiVersion/kind}; any other is an error. */
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(Map.entry("v1/Namespace", V1Namespace.class),
            Map.entry("v1/ConfigMap", V1ConfigMap.class), Map.entry("v1/Secret", V1Secret.class),
            Map.entry("v1/Service", V1Service.class), Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
            Map.entry("apps/v1/Deployment", V1Deployment.class), Map.entry("apps/v1/StatefulSet", V1StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class));

    private static final String KNOWN = String.join(", ", MODELS.keySet().stream().sorted().toList());

    /** The longest piece of an object's JSON quoted in an error, enough to see which container or port it is. */
    private static final int QUOTE_LENGTH = 160;

    private KubernetesSchema() {
    }

    /** Every error of every object, each as {@code <Kind>/<name>: <message>}; empty when all are valid. */
    static List<String> validate(List<Map<String, Object>> objects) {
        List<String> errors = new ArrayList<>();
        for (Map<String, Object> object : objects) {
            errors.addAll(validate(object));
        }
        return errors;
    }

    /** The errors of one object, each as {@code <Kind>/<name>: <message>}. */
    static List<String> validate(Map<String, Object> object) {
        String apiVersion = String.valueOf(object.get("apiVersion"));
        String kind = String.valueOf(object.get("kind"));
        String id = kind + "/" + (object.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("name") : null);
        Class<?> model = MODELS.get(apiVersion + "/" + kind);
        if (model == null) {
            return List.of(id + ": apiVersion " + apiVersion + " kind " + kind
                    + " is not a kind these manifests may use (known: " + KNOWN + ")");
        }
        JsonElement json = toJson(object);
        List<String> errors = new ArrayList<>();
        walk(model, json, "", errors);
        try {
            JSON.getGson().fromJson(json, model);
        }
        catch (RuntimeException ex) {
            // The walk's errors carry the path; Gson stops at its first, without one, and some of its shape
            // errors are bare ClassCastExceptions. Its message is for what the walk does not see.
            if (errors.isEmpty()) {
                errors.add(gsonMessage(ex));
            }
        }
        return errors.stream().map((error) -> id + ": " + error).toList();
    }

    /** The model's message, with the JSON it quotes cut short: the whole object would bury the field. */
    private static String gsonMessage(RuntimeException ex) {
        String message = String.valueOf(ex.getMessage());
        int json = message.indexOf(" JSON: ");
        if (json >= 0 && message.length() - json > QUOTE_LENGTH) {
            message = message.substring(0, json + QUOTE_LENGTH) + "…";
        }
        return message;
    }

    /**
     * Walks {@code value} along the model {@code type}, collecting into {@code errors} what the models' Gson
     * adapters accept although the API server would not, or although it is surely a mistake.
     */
    private static void walk(Type type, JsonElement value, String path, List<String> errors) {
        if (value == null || value.isJsonNull()) {
            return;
        }
        Class<?> raw = rawClass(type);
        boolean model = raw.getPackageName().equals(MODELS_PACKAGE);
        if (List.class.isAssignableFrom(raw) && !value.isJsonArray()) {
            errors.add(where(path) + quote(value) + " must be a list");
        }
        else if ((model || Map.class.isAssignableFrom(raw)) && !value.isJsonObject()) {
            errors.add(where(path) + quote(value) + " must be an object (key: value)");
        }
        else if (List.class.isAssignableFrom(raw)) {
            JsonArray items = value.getAsJsonArray();
            for (int i = 0; i < items.size(); i++) {
                walk(typeArgument(type, 0), items.get(i), path + "[" + i + "]", errors);
            }
        }
        else if (Map.class.isAssignableFrom(raw)) {
            value.getAsJsonObject().entrySet().forEach((entry) -> walk(typeArgument(type, 1), entry.getValue(),
                    child(path, entry.getKey()), errors));
        }
        else if (raw == String.class && value.isJsonPrimitive() && !value.getAsJsonPrimitive().isString()) {
            errors.add(where(path) + value + " must be a string (quote it)");
        }
        else if (raw == Boolean.class && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            errors.add(where(path) + value + " must be true or false, not a string");
        }
        else if (Number.class.isAssignableFrom(raw) && value.isJsonPrimitive()
                && !value.getAsJsonPrimitive().isNumber()) {
            errors.add(where(path) + value + " must be a number" + (isNumericString(value) ? ", not a string" : ""));
        }
        else if (model) {
            JsonObject object = value.getAsJsonObject();
            Map<String, Field> fields = serializedFields(raw);
            String modelName = raw.getSimpleName();
            object.entrySet().forEach((entry) -> {
                Field field = fields.get(entry.getKey());
                if (field == null) {
                    errors.add(where(child(path, entry.getKey())) + "unknown field (not in " + modelName + ")");
                }
                else {
                    walk(field.getGenericType(), entry.getValue(), child(path, entry.getKey()), errors);
                }
            });
            requiredFields(raw).stream()
                .filter((name) -> !object.has(name) || object.get(name).isJsonNull())
                .sorted()
                .forEach((name) -> errors.add(where(path) + "`" + name + "` is required (by " + modelName + ")"));
            if (raw == V1HTTPGetAction.class && !object.has("path")) {
                errors.add(where(path) + "no path: Kubernetes would request /, say which endpoint (/livez, /readyz)");
            }
        }
        // Quantity, IntOrString, dates and free-form objects take any scalar: Gson's adapters judge them.
    }

    private static String quote(JsonElement value) {
        String json = value.toString();
        return (json.length() > 60) ? json.substring(0, 60) + "…" : json;
    }

    private static boolean isNumericString(JsonElement value) {
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            return false;
        }
        try {
            Double.parseDouble(value.getAsString());
            return true;
        }
        catch (NumberFormatException ex) {
            return false;
        }
    }

    private static Map<String, Field> serializedFields(Class<?> model) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (Field field : model.getDeclaredFields()) {
            SerializedName name = field.getAnnotation(SerializedName.class);
            if (name != null && !Modifier.isStatic(field.getModifiers())) {
                fields.put(name.value(), field);
            }
        }
        return fields;
    }

    /** The fields the API requires, as the generated model lists them for its own validation. */
    @SuppressWarnings("unchecked")
    private static Set<String> requiredFields(Class<?> model) {
        try {
            return (Set<String>) model.getField("openapiRequiredFields").get(null);
        }
        catch (ReflectiveOperationException ex) {
            return Set.of();
        }
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        return (type instanceof Class<?> c) ? c : Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        return (type instanceof ParameterizedType parameterized) ? parameterized.getActualTypeArguments()[index]
                : Object.class;
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String where(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    /** SnakeYAML's maps, lists and scalars as the JSON tree the models' Gson reads. */
    private static JsonElement toJson(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            map.forEach((key, item) -> object.add(String.valueOf(key), toJson(item)));
            return object;
        }
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach((item) -> array.add(toJson(item)));
            return array;
        }
        if (value instanceof Number number) {
            return new JsonPrimitive(number);
        }
        if (value instanceof Boolean bool) {
            return new JsonPrimitive(bool);
        }
        return new JsonPrimitive(String.valueOf(value));
    }

}
