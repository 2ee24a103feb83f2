package dev.orchestrator.core.internal.journal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedConstructor;

/**
 * Calls the canonical constructors of the events' records through a method handle made once per record type.
 * Jackson calls them with {@code MethodHandle.invokeWithArguments}, which looks up a spreading invoker on every
 * call: that was a tenth of the time it took to decode a journal. Types whose constructor is not public, or that
 * Jackson builds another way, keep Jackson's own instantiator.
 */
final class RecordConstructors extends ValueInstantiators.Base {

    @Override
    public ValueInstantiator modifyValueInstantiator(DeserializationConfig config, BeanDescription.Supplier bean,
            ValueInstantiator instantiator) {
        if (instantiator.getClass() != StdValueInstantiator.class || !instantiator.canCreateFromObjectWith()) {
            return instantiator;
        }
        Spreading spreading = new Spreading((StdValueInstantiator) instantiator);
        return spreading.constructor == null ? instantiator : spreading;
    }

    /** Jackson's instantiator with one change: the constructor taking all the properties is called directly. */
    private static final class Spreading extends StdValueInstantiator {

        private final MethodHandle constructor; // (Object[]) -> Object, or null when it cannot be had

        Spreading(StdValueInstantiator jacksons) {
            super(jacksons);
            this.constructor = spreading();
        }

        private MethodHandle spreading() {
            if (!(_withArgsCreator instanceof AnnotatedConstructor creator)) {
                return null;
            }
            Constructor<?> c = creator.getAnnotated();
            try {
                return MethodHandles.publicLookup().unreflectConstructor(c)
                        .asSpreader(Object[].class, c.getParameterCount())
                        .asType(MethodType.methodType(Object.class, Object[].class));
            } catch (IllegalAccessException e) {
                return null;
            }
        }

        @Override
        public Object createFromObjectWith(DeserializationContext ctxt, Object[] args) {
            try {
                return (Object) constructor.invokeExact(args);
            } catch (Throwable e) { // what a constructor throws, reported as Jackson reports it
                return ctxt.handleInstantiationProblem(_valueClass, args, rewrapCtorProblem(ctxt, e));
            }
        }
    }
}
