import { connect, type Socket } from 'node:net';

/**
 * A minimal FTP client over node's net sockets (tests only): control connection, replies (multi-line
 * aware), passive-mode data connections for STOR and LIST. Enough to speak to the real server.
 */
export interface Reply {
  code: number;
  text: string;
}

export class FtpClient {
  private buf = '';
  private waiting: ((r: Reply) => void)[] = [];
  private queue: Reply[] = [];

  private constructor(private sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      this.buf += d;
      this.parse();
    });
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<{ client: FtpClient; greeting: Reply }> {
    const sock = connect(port, host);
    await new Promise<void>((res, rej) => {
      sock.once('connect', res);
      sock.once('error', rej);
    });
    const client = new FtpClient(sock);
    return { client, greeting: await client.next() };
  }

  private parse() {
    for (;;) {
      const first = /^(\d{3})([ -])/.exec(this.buf);
      if (!first) return;
      let end: number;
      if (first[2] === ' ') end = this.buf.indexOf('\r\n');
      else {
        const m = new RegExp(`\\r\\n${first[1]} [^\\r\\n]*\\r\\n`).exec(this.buf);
        end = m ? m.index + m[0].length - 2 : -1;
      }
      if (end < 0) return;
      const reply = { code: Number(first[1]), text: this.buf.slice(0, end) };
      this.buf = this.buf.slice(end + 2);
      const w = this.waiting.shift();
      if (w) w(reply);
      else this.queue.push(reply);
    }
  }

  next(): Promise<Reply> {
    const q = this.queue.shift();
    if (q) return Promise.resolve(q);
    return new Promise((res) => this.waiting.push(res));
  }

  async send(line: string): Promise<Reply> {
    this.sock.write(`${line}\r\n`);
    return this.next();
  }

  async login(user: string, pass: string): Promise<Reply> {
    const u = await this.send(`USER ${user}`);
    if (u.code !== 331) return u;
    return this.send(`PASS ${pass}`);
  }

  private async pasv(): Promise<Socket> {
    const r = await this.send('PASV');
    const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(r.text);
    if (r.code !== 227 || !m) throw new Error(`PASV failed: ${r.text}`);
    const data = connect(Number(m[5]) * 256 + Number(m[6]), `${m[1]}.${m[2]}.${m[3]}.${m[4]}`);
    await new Promise<void>((res, rej) => {
      data.once('connect', res);
      data.once('error', rej);
    });
    return data;
  }

  /** Uploads; resolves with the final reply (226 stored, 550 refused with the reason). */
  async stor(name: string, content: Buffer): Promise<Reply> {
    await this.send('TYPE I');
    const data = await this.pasv();
    const started = await this.send(`STOR ${name}`);
    if (started.code !== 150 && started.code !== 125) {
      data.destroy();
      return started;
    }
    data.on('error', () => {});
    data.end(content);
    return this.next();
  }

  async list(path = ''): Promise<{ reply: Reply; listing: string }> {
    const data = await this.pasv();
    let listing = '';
    data.setEncoding('utf8');
    data.on('data', (d: string) => {
      listing += d;
    });
    const closed = new Promise<void>((res) => data.on('close', () => res()));
    const started = await this.send(`LIST${path ? ` ${path}` : ''}`);
    if (started.code !== 150 && started.code !== 125) {
      data.destroy();
      return { reply: started, listing };
    }
    await closed;
    return { reply: await this.next(), listing };
  }

  async quit(): Promise<void> {
    await this.send('QUIT').catch(() => undefined);
    this.sock.destroy();
  }
}
