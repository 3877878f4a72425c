package dev.antler; public class Main { public static void main(String[] a){} }
