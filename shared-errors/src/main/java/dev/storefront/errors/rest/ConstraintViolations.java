package dev.storefront.errors.rest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import dev.storefront.errors.FieldViolation;

/**
 * Field violations of a Bean Validation {@code ConstraintViolationException} (thrown by
 * {@code @Validated} beans). Bean Validation is optional: the exception is recognised by class name
 * and its API is only touched, in a nested class, once it is known to be there.
 */
final class ConstraintViolations {

    private static final String TYPE = "jakarta.validation.ConstraintViolationException";

    private ConstraintViolations() {
    }

    static boolean isConstraintViolation(Throwable exception) {
        for (Class<?> type = exception.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(TYPE)) {
                return true;
            }
        }
        return false;
    }

    static List<FieldViolation> violations(Throwable exception) {
        return BeanValidation.violations(exception);
    }

    private static final class BeanValidation {

        static List<FieldViolation> violations(Throwable exception) {
            List<FieldViolation> violations = new ArrayList<>();
            for (ConstraintViolation<?> violation : ((ConstraintViolationException) exception)
                .getConstraintViolations()) {
                violations.add(new FieldViolation(field(violation.getPropertyPath()), violation.getMessage()));
            }
            violations.sort(Comparator.comparing(FieldViolation::field).thenComparing(FieldViolation::description));
            return violations;
        }

        /** The path without the method it was a parameter of: {@code getUser.id} becomes {@code id}. */
        private static String field(Path path) {
            StringBuilder field = new StringBuilder();
            for (Path.Node node : path) {
                ElementKind kind = node.getKind();
                if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR
                        || kind == ElementKind.CROSS_PARAMETER || kind == ElementKind.RETURN_VALUE) {
                    continue;
                }
                if (node.getIndex() != null) {
                    field.append('[').append(node.getIndex()).append(']');
                }
                else if (node.getKey() != null) {
                    field.append('[').append(node.getKey()).append(']');
                }
                String name = node.getName();
                if (name != null && !name.isEmpty()) {
                    if (!field.isEmpty()) {
                        field.append('.');
                    }
                    field.append(name);
                }
            }
            return field.toString();
        }

    }

}
