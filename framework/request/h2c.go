package request

import "net/http"

// H2C sends the request over HTTP/2 without TLS, with prior knowledge (h2c), instead of
// HTTP/1.1: for a gateway whose listener speaks it. Header names go lower-cased, as HTTP/2
// requires. Not with Verbatim, which writes HTTP/1.1 by hand.
func H2C() Option { return func(r *Request) { r.H2C = true } }

// h2cDo sends hreq as c.http would, over HTTP/2 with prior knowledge: a transport of the same
// settings (its dialer and no keep-alive included) that speaks only unencrypted HTTP/2.
func (c *Client) h2cDo(hreq *http.Request) (*http.Response, error) {
	t := c.http.Transport.(*http.Transport).Clone()
	t.Protocols = new(http.Protocols)
	t.Protocols.SetUnencryptedHTTP2(true)
	return (&http.Client{Transport: t, CheckRedirect: c.http.CheckRedirect}).Do(hreq)
}
