from kneecoach.cli.app import main

main()
