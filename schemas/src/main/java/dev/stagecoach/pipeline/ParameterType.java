package dev.stagecoach.pipeline;

public enum ParameterType {
    STRING, INTEGER, NUMBER, BOOLEAN, DURATION, ENUM, LIST
}
