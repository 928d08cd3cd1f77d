// SPDX-License-Identifier: GPL-2.0
/* The UART console, a minimal printf and the exit port. */
#include "guest.h"

/* The UART is shared by all the VM's CPUs: whole printf()s go out at once. */
static spinlock_t console_lock;

static void uart_putc(char c)
{
	/* splitvisor's LSR always reads THRE set; a real 16550 may not. */
	while (!(inb(UART_LSR) & UART_LSR_THRE))
		cpu_relax();
	outb(UART_PORT, c);
}

void putc(char c)
{
	spin_lock(&console_lock);
	uart_putc(c);
	spin_unlock(&console_lock);
}

void puts(const char *s)
{
	spin_lock(&console_lock);
	while (*s)
		uart_putc(*s++);
	spin_unlock(&console_lock);
}

/* Where formatted output goes: a buffer, or (buf NULL) the UART. */
struct out {
	char *buf;
	size_t size, len;
};

static void out_c(struct out *o, char c)
{
	if (!o->buf)
		uart_putc(c);
	else if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* pad is '0', ' ' or '-' (left-justify). */
static void out_num(struct out *o, u64 v, unsigned int base, bool neg,
		    int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	/* "-0042" but "  -42". */
	if (neg && pad == '0')
		out_c(o, '-');
	for (; pad != '-' && width > n; width--)
		out_c(o, pad);
	width -= n;
	if (neg && pad != '0')
		out_c(o, '-');
	while (n)
		out_c(o, tmp[--n]);
	for (; pad == '-' && width > 0; width--)
		out_c(o, ' ');
}

/*
 * %s %c %d %i %u %x %p %%, with an optional '0' or '-' flag, a width and the
 * length modifiers l, ll and z. Returns the length it wanted to write.
 */
static int format(struct out *o, const char *fmt, va_list ap)
{

	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		char pad = ' ';
		bool neg = false;
		u64 v;

		if (*fmt != '%') {
			out_c(o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0' || *fmt == '-')
			pad = *fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len;

			if (!s)
				s = "(null)";
			len = strlen(s);
			for (; pad != '-' && width > len; width--)
				out_c(o, ' ');
			while (*s)
				out_c(o, *s++);
			for (; pad == '-' && width > len; width--)
				out_c(o, ' ');
			break;
		}
		case 'c':
			out_c(o, (char)va_arg(ap, int));
			break;
		case 'd':
		case 'i': {
			s64 sv = lng ? va_arg(ap, long) : va_arg(ap, int);

			neg = sv < 0;
			v = neg ? -(u64)sv : (u64)sv;
			out_num(o, v, 10, neg, width, pad);
			break;
		}
		case 'u':
		case 'x':
			v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			out_num(o, v, *fmt == 'u' ? 10 : 16, false, width, pad);
			break;
		case 'p':
			out_c(o, '0');
			out_c(o, 'x');
			out_num(o, (u64)va_arg(ap, void *), 16, false, 0, ' ');
			break;
		case '%':
			out_c(o, '%');
			break;
		default:	/* unknown: show it rather than guess */
			out_c(o, '%');
			if (!*fmt)
				goto done;
			out_c(o, *fmt);
			break;
		}
	}
done:
	return o->len;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	char dummy;

	/* A NULL buf means the UART to format(): size 0 must not get there. */
	if (!size)
		o.buf = &dummy;
	format(&o, fmt, ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}


int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Straight to the UART, so no line is cut short (command lines are long). */
int printf(const char *fmt, ...)
{
	struct out o = { NULL, 0, 0 };
	va_list ap;
	int n;

	va_start(ap, fmt);
	spin_lock(&console_lock);
	n = format(&o, fmt, ap);
	spin_unlock(&console_lock);
	va_end(ap);
	return n;
}

void sv_exit(u32 status)
{
	outl(EXIT_PORT, status);
	/* Only without an exit port device (not a splitvisor VM). */
	halt_forever();
}
