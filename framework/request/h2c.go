package request

import "net/http"

// H2C sends the request over HTTP/2 without TLS, with prior knowledge (h2c), instead of
// HTTP/1.1: for a gateway whose listener speaks it. Header names go lower-cased, as HTTP/2
// requires. Not with Verbatim, which writes HTTP/1.1 by hand.
func H2C() Option { return func(r *Request) { r.H2C = true } }

// h2cDo sends hreq as c.http would, over HTTP/2 with prior knowledge: a transport of the same
// settings (its dialer and no keep-alive included) that speaks only unencrypted HTTP/2. A
// Session sends over its own such transport, so its h2c requests share one connection too.
func (c *Client) h2cDo(hreq *http.Request) (*http.Response, error) {
	if c.h2c != nil {
		return c.h2c.Do(hreq)
	}
	return h2cClient(c.http).Do(hreq)
}

// h2cClient is a client like hc whose transport speaks only unencrypted HTTP/2.
func h2cClient(hc *http.Client) *http.Client {
	t := hc.Transport.(*http.Transport).Clone()
	t.Protocols = new(http.Protocols)
	t.Protocols.SetUnencryptedHTTP2(true)
	return &http.Client{Transport: t, CheckRedirect: hc.CheckRedirect}
}
