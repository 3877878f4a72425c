package dev.antler.ideogram;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** A multipart/form-data body as curl builds it for {@code --form}, and real small images to put in it. */
final class Form {

    static final String BOUNDARY = "------------------------d74496d66958873e";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Form field(String name, String value) {
        write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
        return this;
    }

    Form file(String name, String filename, String contentType, byte[] bytes) {
        write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        out.writeBytes(bytes);
        write("\r\n");
        return this;
    }

    Form png(String name, byte[] bytes) {
        return file(name, name + ".png", "image/png", bytes);
    }

    byte[] bytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(UTF_8));
        return copy.toByteArray();
    }

    static String contentType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    private void write(String s) {
        out.writeBytes(s.getBytes(UTF_8));
    }

    /** A real 64x64 PNG: a cat-coloured picture, or a black-and-white mask (black = the region to edit). */
    static byte[] png(boolean mask) {
        BufferedImage image = new BufferedImage(64, 64, mask ? BufferedImage.TYPE_BYTE_BINARY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(mask ? Color.WHITE : new Color(0xd2, 0x8c, 0x45));
        g.fillRect(0, 0, 64, 64);
        g.setColor(mask ? Color.BLACK : new Color(0x30, 0x20, 0x10));
        g.fillOval(16, 16, 32, 32);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    /** The smallest JPEG and WEBP headers: enough for the gateway's check of the leading bytes. */
    static byte[] jpeg() {
        return new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1};
    }

    static byte[] webp() {
        return new byte[] {'R', 'I', 'F', 'F', 36, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ', 0, 0};
    }
}
