package bot

import "github.com/orderbot/orderbot/bot/platform"

// callback is the data behind an inline button (see platform.Callback).
type callback = platform.Callback

// cb builds callback data.
func cb(verb string, args ...int64) callback { return platform.CB(verb, args...) }
