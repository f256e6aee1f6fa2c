package rollback

func G() { Hazard() }
