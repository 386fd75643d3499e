package hotframe.examples;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * A syscall-heavy thread: "writer" writes 16-byte chunks to a file through an unbuffered FileOutputStream, one
 * write(2) each, starting over every 64k writes, for the given seconds. Most of its CPU time is in the kernel.
 * Prints "writes N" at the end. Usage: SmallWrites seconds file
 */
public final class SmallWrites {
    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(args[0]);
        File file = new File(args[1]);
        long[] writes = new long[1];
        Thread writer = new Thread(() -> writes[0] = writeFor(seconds, file), "writer");
        writer.start();
        writer.join();
        file.delete();
        System.out.println("writes " + writes[0]);
    }

    static long writeFor(double seconds, File file) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        byte[] chunk = new byte[16];
        long count = 0;
        try {
            while (System.nanoTime() < deadline) {
                try (FileOutputStream out = new FileOutputStream(file)) {
                    for (int i = 0; i < 65536; i++) {
                        chunk[i & 15] = (byte) i;
                        out.write(chunk);
                        count++;
                    }
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return count;
    }
}
